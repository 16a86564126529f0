// auth_query passthrough: looking users' secrets up in PostgreSQL.
package io.pgmux.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code auth_user}, {@code auth_query} and {@code auth_query_cache_ttl} keys. A client user that is neither in
 * {@code users} nor in {@code auth_file} is looked up with {@code query} (one parameter, the user name; the
 * result's second column is the secret) on the client's database, logged in as {@code user} with its configured
 * password. Results, including "no such user", are cached for {@code cacheTtl}.
 *
 * @param user     {@code auth_user}: a configured user with a plain password that may read the secrets
 * @param query    {@code auth_query}
 * @param cacheTtl {@code auth_query_cache_ttl}
 */
public record AuthQuerySettings(String user, String query, Duration cacheTtl) {

    /** PgBouncer's default query. */
    public static final String DEFAULT_QUERY = "SELECT usename, passwd FROM pg_shadow WHERE usename=$1";
    /** How long a looked-up secret is used before it is looked up again. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);

    /** @throws NullPointerException for a null component */
    public AuthQuerySettings {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
    }
}
