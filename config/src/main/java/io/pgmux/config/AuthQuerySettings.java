// auth_query passthrough: looking users' secrets up in PostgreSQL.
package io.pgmux.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The global {@code auth_user}, {@code auth_query}, {@code auth_query_cache_ttl} and {@code auth_dbname} keys. A
 * client user that is neither in {@code users} nor in {@code auth_file} is looked up with the query (one parameter,
 * the user name; the result's second column is the secret), logged in as the auth user with its configured
 * password, on the database the login names (or {@code auth_dbname}). A database's own {@code auth_user},
 * {@code auth_dbname} and {@code auth_query} win for its logins ({@link DatabaseAuth}). Results, including "no such
 * user", are cached for {@code cacheTtl}.
 *
 * @param user     {@code auth_user}: a configured user with a plain password that may read the secrets, or
 *                 {@code null} when only databases that name their own look users up
 * @param query    {@code auth_query}
 * @param cacheTtl {@code auth_query_cache_ttl}
 * @param dbname   {@code auth_dbname}: the entry of {@code databases} whose server answers the query, or
 *                 {@code null} for the database each login names
 */
public record AuthQuerySettings(String user, String query, Duration cacheTtl, String dbname) {

    /**
     * pgmux's default query, PgBouncer's in earlier releases. PgBouncer 1.25's own default reads pg_authid and refuses
     * expired passwords; the pgbouncer.ini conversion writes that one out where an auth_user is set.
     */
    public static final String DEFAULT_QUERY = "SELECT usename, passwd FROM pg_shadow WHERE usename=$1";
    /** How long a looked-up secret is used before it is looked up again. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    /** No global auth_user: the default query and cache time, for databases that name their own auth_user. */
    public static final AuthQuerySettings NONE = new AuthQuerySettings(null, DEFAULT_QUERY, DEFAULT_CACHE_TTL, null);

    /** @throws NullPointerException for a null query or cache time */
    public AuthQuerySettings {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
    }

    /** The settings of a global auth_user, looked up on each login's own database. */
    public AuthQuerySettings(String user, String query, Duration cacheTtl) {
        this(user, query, cacheTtl, null);
    }

    /** Whether a global auth_user is set. */
    public boolean enabled() {
        return user != null;
    }
}
