// Settings of the server-connection pools (the `pool` section).
package io.pgmux.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code pool} section. Sizes are per (database, user) pool unless stated otherwise.
 *
 * @param mode                 {@code pool.mode}: default pooling mode (per-database and per-user overrides win)
 * @param defaultPoolSize      {@code pool.default_pool_size}: server connections per pool, at least 1
 * @param minPoolSize          {@code pool.min_pool_size}: server connections kept open per pool, at most the pool size
 * @param reservePoolSize      {@code pool.reserve_pool_size}: extra connections allowed when clients wait too long
 * @param reservePoolTimeout   {@code pool.reserve_pool_timeout}: how long a client waits before the reserve is used
 * @param maxDbConnections     {@code pool.max_db_connections}: server connections per database over all users,
 *                             0 = unlimited
 * @param maxUserConnections   {@code pool.max_user_connections}: server connections per server login user over all
 *                             databases, 0 = unlimited
 * @param maxClientConn        {@code pool.max_client_conn}: client connections accepted in total, at least 1
 * @param serverResetQuery     {@code pool.server_reset_query}: run when a session-mode client releases its server
 *                             connection; empty string = none. Never {@code null}.
 * @param serverCheckQuery     {@code pool.server_check_query}: run on a server connection idle longer than
 *                             {@code timeouts.server_check_delay} before lending it; empty string = no check. Never
 *                             {@code null}.
 * @param pinning              {@code pool.pinning}: default pinning policy (per-database and per-user overrides win)
 * @param trackExtraParameters {@code pool.track_extra_parameters}: parameters PostgreSQL does not report whose SETs
 *                             pgmux replays on each server connection a client gets, instead of pinning; lower-cased,
 *                             without duplicates, unmodifiable, never {@code null}
 * @param maxPreparedStatements {@code pool.max_prepared_statements}: protocol-level named prepared statements kept
 *                             per server connection (least recently used are closed beyond it); 0 turns tracking off,
 *                             and a named Parse then pins the client to its server connection
 * @param maxWaitingClients    {@code pool.max_waiting_clients}: clients that may wait for a server connection of one
 *                             pool at once; a client that would wait beyond it is refused at once (53300) instead of
 *                             waiting up to {@code timeouts.query_wait_timeout}. 0 = unbounded
 * @param listen               {@code pool.listen}: how LISTEN is served in transaction and statement pooling
 * @param maxQueuedNotifications {@code pool.max_queued_notifications}: notifications pgmux holds for one client
 *                             (inside a transaction, or while the client does not read) before it disconnects that
 *                             client with 53400
 * @param maxDbClientConnections {@code pool.max_db_client_connections}: clients logged in to one database at once
 *                             (a database's own {@code max_db_client_connections} wins), 0 = unlimited
 * @param maxUserClientConnections {@code pool.max_user_client_connections}: clients logged in as one user at once
 *                             (a user's own {@code max_user_client_connections} wins), 0 = unlimited
 * @param serverRoundRobin     {@code pool.server_round_robin}: lend the least recently used idle server connection
 *                             (FIFO) instead of the most recently used one on the client's own event loop (LIFO), as
 *                             PgBouncer's server_round_robin does, for servers behind a load balancer or a DNS name
 *                             with several addresses
 */
public record PoolSettings(PoolMode mode, int defaultPoolSize, int minPoolSize, int reservePoolSize,
        Duration reservePoolTimeout, int maxDbConnections, int maxUserConnections, int maxClientConn,
        String serverResetQuery, String serverCheckQuery, PinningPolicy pinning, List<String> trackExtraParameters,
        int maxPreparedStatements, int maxWaitingClients, ListenMode listen, int maxQueuedNotifications,
        int maxDbClientConnections, int maxUserClientConnections, boolean serverRoundRobin) {

    /** Notifications held per client unless configured: far more than a reading client ever has in flight. */
    public static final int DEFAULT_MAX_QUEUED_NOTIFICATIONS = 10_000;

    /**
     * Null queries become the empty string and a null parameter list the empty list; the list is copied lower-cased,
     * without duplicates, in its original order.
     *
     * @throws NullPointerException for a null mode, timeout or pinning policy, or a null list element
     */
    public PoolSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reservePoolTimeout, "reservePoolTimeout");
        Objects.requireNonNull(pinning, "pinning");
        Objects.requireNonNull(listen, "listen");
        serverResetQuery = serverResetQuery == null ? "" : serverResetQuery;
        serverCheckQuery = serverCheckQuery == null ? "" : serverCheckQuery;
        trackExtraParameters = lowerCased(trackExtraParameters);
    }

    /** The settings that lend the most recently used server connection first. */
    public PoolSettings(PoolMode mode, int defaultPoolSize, int minPoolSize, int reservePoolSize,
            Duration reservePoolTimeout, int maxDbConnections, int maxUserConnections, int maxClientConn,
            String serverResetQuery, String serverCheckQuery, PinningPolicy pinning, List<String> trackExtraParameters,
            int maxPreparedStatements, int maxWaitingClients, ListenMode listen, int maxQueuedNotifications,
            int maxDbClientConnections, int maxUserClientConnections) {
        this(mode, defaultPoolSize, minPoolSize, reservePoolSize, reservePoolTimeout, maxDbConnections,
                maxUserConnections, maxClientConn, serverResetQuery, serverCheckQuery, pinning, trackExtraParameters,
                maxPreparedStatements, maxWaitingClients, listen, maxQueuedNotifications, maxDbClientConnections,
                maxUserClientConnections, false);
    }

    /** The settings without client limits per database or user. */
    public PoolSettings(PoolMode mode, int defaultPoolSize, int minPoolSize, int reservePoolSize,
            Duration reservePoolTimeout, int maxDbConnections, int maxUserConnections, int maxClientConn,
            String serverResetQuery, String serverCheckQuery, PinningPolicy pinning, List<String> trackExtraParameters,
            int maxPreparedStatements, int maxWaitingClients, ListenMode listen, int maxQueuedNotifications) {
        this(mode, defaultPoolSize, minPoolSize, reservePoolSize, reservePoolTimeout, maxDbConnections,
                maxUserConnections, maxClientConn, serverResetQuery, serverCheckQuery, pinning, trackExtraParameters,
                maxPreparedStatements, maxWaitingClients, listen, maxQueuedNotifications, 0, 0);
    }

    /** The settings with LISTEN fanned out and the default bound on queued notifications. */
    public PoolSettings(PoolMode mode, int defaultPoolSize, int minPoolSize, int reservePoolSize,
            Duration reservePoolTimeout, int maxDbConnections, int maxUserConnections, int maxClientConn,
            String serverResetQuery, String serverCheckQuery, PinningPolicy pinning, List<String> trackExtraParameters,
            int maxPreparedStatements, int maxWaitingClients) {
        this(mode, defaultPoolSize, minPoolSize, reservePoolSize, reservePoolTimeout, maxDbConnections,
                maxUserConnections, maxClientConn, serverResetQuery, serverCheckQuery, pinning, trackExtraParameters,
                maxPreparedStatements, maxWaitingClients, ListenMode.FAN_OUT, DEFAULT_MAX_QUEUED_NOTIFICATIONS);
    }

    /** The settings with an unbounded wait queue ({@code max_waiting_clients} 0). */
    public PoolSettings(PoolMode mode, int defaultPoolSize, int minPoolSize, int reservePoolSize,
            Duration reservePoolTimeout, int maxDbConnections, int maxUserConnections, int maxClientConn,
            String serverResetQuery, String serverCheckQuery, PinningPolicy pinning, List<String> trackExtraParameters,
            int maxPreparedStatements) {
        this(mode, defaultPoolSize, minPoolSize, reservePoolSize, reservePoolTimeout, maxDbConnections,
                maxUserConnections, maxClientConn, serverResetQuery, serverCheckQuery, pinning, trackExtraParameters,
                maxPreparedStatements, 0);
    }

    /**
     * The documented defaults: transaction mode, 20 connections per pool, 10000 clients, {@code DISCARD ALL},
     * check query {@code SELECT 1}, pinning {@code pin}, no extra tracked parameters, 200 prepared statements per
     * server connection (PgBouncer's default), no bound on waiting clients, LISTEN fanned out with up to 10,000
     * notifications held per client, no client limit per database or user, the most recently used server
     * connection lent first.
     */
    public static PoolSettings defaults() {
        return new PoolSettings(PoolMode.TRANSACTION, 20, 0, 0, Duration.ofSeconds(5), 0, 0, 10_000, "DISCARD ALL",
                "SELECT 1", PinningPolicy.PIN, List.of(), 200, 0, ListenMode.FAN_OUT, DEFAULT_MAX_QUEUED_NOTIFICATIONS,
                0, 0, false);
    }

    // PostgreSQL folds unquoted parameter names to lower case, so SET Search_Path and search_path are the same.
    private static List<String> lowerCased(List<String> names) {
        return names == null ? List.of()
                : names.stream().map(name -> name.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
