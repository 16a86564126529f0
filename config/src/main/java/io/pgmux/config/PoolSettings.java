// Settings of the server-connection pools (the `pool` section).
package io.pgmux.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code pool} section. Sizes are per (database, user) pool unless stated otherwise.
 *
 * @param mode               {@code pool.mode}: default pooling mode (per-database and per-user overrides win)
 * @param defaultPoolSize    {@code pool.default_pool_size}: server connections per pool, at least 1
 * @param minPoolSize        {@code pool.min_pool_size}: idle server connections kept open per pool, at most the pool size
 * @param reservePoolSize    {@code pool.reserve_pool_size}: extra connections allowed when clients wait too long
 * @param reservePoolTimeout {@code pool.reserve_pool_timeout}: how long a client waits before the reserve is used
 * @param maxDbConnections   {@code pool.max_db_connections}: server connections per database over all users, 0 = unlimited
 * @param maxUserConnections {@code pool.max_user_connections}: server connections per user over all databases, 0 = unlimited
 * @param maxClientConn      {@code pool.max_client_conn}: client connections accepted in total, at least 1
 * @param serverResetQuery   {@code pool.server_reset_query}: run when a session-mode client releases its server
 *                           connection; empty string = none. Never {@code null}.
 */
public record PoolSettings(PoolMode mode, int defaultPoolSize, int minPoolSize, int reservePoolSize,
        Duration reservePoolTimeout, int maxDbConnections, int maxUserConnections, int maxClientConn,
        String serverResetQuery) {

    /** @throws NullPointerException for a null mode or timeout; a null reset query becomes the empty string */
    public PoolSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reservePoolTimeout, "reservePoolTimeout");
        serverResetQuery = serverResetQuery == null ? "" : serverResetQuery;
    }

    /** The documented defaults: transaction mode, 20 connections per pool, 10000 clients, {@code DISCARD ALL}. */
    public static PoolSettings defaults() {
        return new PoolSettings(PoolMode.TRANSACTION, 20, 0, 0, Duration.ofSeconds(5), 0, 0, 10_000, "DISCARD ALL");
    }
}
