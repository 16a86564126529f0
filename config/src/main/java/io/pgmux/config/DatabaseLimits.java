// The pool-wide limits one database overrides, as PgBouncer's per-database settings do.
package io.pgmux.config;

import java.time.Duration;

/**
 * What a {@code databases} entry sets for itself instead of taking the {@code pool} section's value. Each
 * {@code null} means "inherit".
 *
 * @param minPoolSize          {@code min_pool_size}: backends each of the database's pools keeps open, capped at the
 *                             pool's size
 * @param reservePoolSize      {@code reserve_pool_size}: extra backends each of its pools may open once a client
 *                             waited {@code pool.reserve_pool_timeout}
 * @param maxDbConnections     {@code max_db_connections}: backends of the database over all its pools, 0 = unlimited
 * @param maxClientConnections {@code max_db_client_connections}: clients logged in to the database at once,
 *                             0 = unlimited
 * @param serverLifetime       {@code server_lifetime}: backends of the database older than this are closed instead
 *                             of reused (positive)
 */
public record DatabaseLimits(Integer minPoolSize, Integer reservePoolSize, Integer maxDbConnections,
        Integer maxClientConnections, Duration serverLifetime) {

    /** Nothing overridden. */
    public static final DatabaseLimits NONE = new DatabaseLimits(null, null, null, null, null);

    /** Sizes only. */
    public DatabaseLimits(Integer minPoolSize, Integer reservePoolSize, Integer maxDbConnections,
            Integer maxClientConnections) {
        this(minPoolSize, reservePoolSize, maxDbConnections, maxClientConnections, null);
    }

    /** @throws IllegalArgumentException for a negative value */
    public DatabaseLimits {
        for (Integer value : new Integer[] {minPoolSize, reservePoolSize, maxDbConnections, maxClientConnections}) {
            if (value != null && value < 0) {
                throw new IllegalArgumentException("database limits must be >= 0, got " + value);
            }
        }
        if (serverLifetime != null && (serverLifetime.isZero() || serverLifetime.isNegative())) {
            throw new IllegalArgumentException("serverLifetime must be positive, got " + serverLifetime);
        }
    }
}
