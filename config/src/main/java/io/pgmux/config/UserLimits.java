// The limits one user overrides, as PgBouncer's per-user settings do.
package io.pgmux.config;

import java.time.Duration;

/**
 * What a {@code users} entry sets for itself instead of taking the {@code pool} section's value. Each {@code null}
 * means "inherit".
 *
 * @param maxUserConnections   {@code max_user_connections}: backends logged in as this user over all databases,
 *                             0 = unlimited; applies where the user is the server login (a database without its own
 *                             {@code user}, or one whose {@code user} names it)
 * @param maxClientConnections {@code max_user_client_connections}: clients logged in as this user at once,
 *                             0 = unlimited
 * @param poolSize             {@code pool_size}: server connections of each pool of this user, at least 1; wins
 *                             over the database's, as in PgBouncer
 * @param reservePoolSize      {@code reserve_pool_size}: the reserve of each pool of this user; wins over the
 *                             database's
 * @param queryTimeout         {@code query_timeout} for this user's clients, 0 = off
 * @param idleTransactionTimeout {@code idle_transaction_timeout} for this user's clients, 0 = off
 * @param clientIdleTimeout    {@code client_idle_timeout} for this user's clients, 0 = off
 */
public record UserLimits(Integer maxUserConnections, Integer maxClientConnections, Integer poolSize,
        Integer reservePoolSize, Duration queryTimeout, Duration idleTransactionTimeout, Duration clientIdleTimeout) {

    /** Nothing overridden. */
    public static final UserLimits NONE = new UserLimits(null, null, null, null, null, null, null);

    /** @throws IllegalArgumentException for a negative value, or a pool size below 1 */
    public UserLimits {
        if (maxUserConnections != null && maxUserConnections < 0
                || maxClientConnections != null && maxClientConnections < 0
                || poolSize != null && poolSize < 1 || reservePoolSize != null && reservePoolSize < 0) {
            throw new IllegalArgumentException("user limits out of range");
        }
        for (Duration d : new Duration[] {queryTimeout, idleTransactionTimeout, clientIdleTimeout}) {
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("user timeouts must not be negative, got " + d);
            }
        }
    }

    /** Sizes and connection limits only. */
    public UserLimits(Integer maxUserConnections, Integer maxClientConnections, Integer poolSize,
            Integer reservePoolSize) {
        this(maxUserConnections, maxClientConnections, poolSize, reservePoolSize, null, null, null);
    }

    /** Whether any client timeout is this user's own. */
    public boolean hasTimeouts() {
        return queryTimeout != null || idleTransactionTimeout != null || clientIdleTimeout != null;
    }

    /** Connection limits only. */
    public UserLimits(Integer maxUserConnections, Integer maxClientConnections) {
        this(maxUserConnections, maxClientConnections, null, null, null, null, null);
    }
}
