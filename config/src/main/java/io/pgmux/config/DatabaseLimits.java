// The pool-wide limits one database overrides, as PgBouncer's per-database settings do.
package io.pgmux.config;

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
 */
public record DatabaseLimits(Integer minPoolSize, Integer reservePoolSize, Integer maxDbConnections,
        Integer maxClientConnections) {

    /** Nothing overridden. */
    public static final DatabaseLimits NONE = new DatabaseLimits(null, null, null, null);

    /** @throws IllegalArgumentException for a negative value */
    public DatabaseLimits {
        for (Integer value : new Integer[] {minPoolSize, reservePoolSize, maxDbConnections, maxClientConnections}) {
            if (value != null && value < 0) {
                throw new IllegalArgumentException("database limits must be >= 0, got " + value);
            }
        }
    }
}
