// The complete, validated and immutable pgmux configuration.
package io.pgmux.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The effective configuration, normally built by {@link ConfigLoader}, which validates every value. The maps are
 * unmodifiable and keep the order in which databases and users were defined.
 *
 * @param listen           {@code listen}: address clients connect to (default {@code 127.0.0.1:6432}); the first
 *                         when {@code listen} lists several (the others are in {@code clientAddresses})
 * @param adminListen      {@code admin_listen}: HTTP metrics/health address, or {@code null} when disabled
 * @param transport        {@code transport}: network transport (default {@code auto})
 * @param workerThreads    {@code worker_threads}: event-loop threads; a {@code 0} given to the constructor is resolved
 *                         to the number of available processors, so this is always at least 1
 * @param maxMessageLength {@code max_message_length}: largest protocol message accepted, in bytes
 * @param maxParsedMessageLength {@code max_parsed_message_length}: largest message pgmux holds whole to read it, in
 *                         bytes, at most {@code maxMessageLength}; larger DataRow, CopyData, Bind, FunctionCall and
 *                         FunctionCallResponse messages are relayed in pieces and are limited by maxMessageLength only
 * @param authType         {@code auth_type}: how clients authenticate to pgmux
 * @param pool             {@code pool}: pool sizes and mode
 * @param timeouts         {@code timeouts}: time limits
 * @param databases        {@code databases}: by name
 * @param users            {@code users}: by name; empty only with {@code auth_type: trust}
 * @param admin            {@code admin_users}, {@code stats_users}: who may use the admin console
 * @param auth             client TLS and authentication rules ({@code client_tls_*}, ...)
 * @param fleet            how this replica cooperates with others ({@code shutdown_grace}, {@code so_reuseport},
 *                         {@code peer_id}, {@code peers}); {@code null} is {@link FleetSettings#defaults()}
 * @param web              the WebSocket listener and the HTTP query endpoint ({@code websocket_listen},
 *                         {@code http_listen}, ...); {@code null} is {@link WebTransportSettings#disabled()}
 * @param tcp              keepalive on client and server sockets ({@code tcp_keepalive}, {@code tcp_keepidle}, ...);
 *                         {@code null} is {@link TcpKeepalive#defaults()}
 * @param admission        fair queueing between tenants and wait deadlines (admission keys of {@code pool});
 *                         {@code null} is {@link AdmissionSettings#defaults()}
 * @param clientAddresses  the listen addresses after the first, the Unix socket ({@code unix_socket_*}) and
 *                         {@code application_name_add_host}; {@code null} is {@link ClientAddressSettings#defaults()}
 */
public record PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
        int maxMessageLength, int maxParsedMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
        Map<String, DatabaseConfig> databases, Map<String, UserConfig> users, AdminSettings admin,
        AuthSettings auth, FleetSettings fleet, WebTransportSettings web, TcpKeepalive tcp,
        AdmissionSettings admission, ClientAddressSettings clientAddresses) {

    /** Default client listen address. */
    public static final HostPort DEFAULT_LISTEN = new HostPort(HostPort.DEFAULT_HOST, 6432);
    /** Default and largest {@code max_message_length}: 1 GiB, PostgreSQL's own limit. */
    public static final int MAX_MESSAGE_LENGTH_LIMIT = 1 << 30;
    /** Smallest {@code max_message_length}: anything lower would reject ordinary start-up packets. */
    public static final int MIN_MESSAGE_LENGTH = 1024;
    /**
     * Default {@code max_parsed_message_length}: 64 MiB. Generous for the longest statement texts seen in practice
     * (generated multi-row INSERTs, long IN lists, literals of a few MiB), while one client holds at most this much;
     * large values travel in Bind parameters or COPY, which stream.
     */
    public static final int DEFAULT_MAX_PARSED_MESSAGE_LENGTH = 64 * 1024 * 1024;

    /**
     * Copies the maps into unmodifiable insertion-ordered maps and resolves {@code workerThreads == 0}.
     *
     * @throws NullPointerException     for a null component other than {@code adminListen}
     * @throws IllegalArgumentException for negative worker threads
     */
    public PgmuxConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(auth, "auth");
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must be >= 0, got " + workerThreads);
        }
        if (maxParsedMessageLength < 4 || maxParsedMessageLength > maxMessageLength) {
            throw new IllegalArgumentException("maxParsedMessageLength must be 4..maxMessageLength ("
                    + maxMessageLength + "), got " + maxParsedMessageLength);
        }
        workerThreads = workerThreads == 0 ? Runtime.getRuntime().availableProcessors() : workerThreads;
        databases = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(databases, "databases")));
        users = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(users, "users")));
        admin = admin == null ? AdminSettings.none() : admin;
        fleet = fleet == null ? FleetSettings.defaults() : fleet;
        web = web == null ? WebTransportSettings.disabled() : web;
        tcp = tcp == null ? TcpKeepalive.defaults() : tcp;
        admission = admission == null ? AdmissionSettings.defaults() : admission;
        clientAddresses = clientAddresses == null ? ClientAddressSettings.defaults() : clientAddresses;
    }

    /**
     * A configuration of a lone pgmux with the defaults of every section not named: no admin console users, no TLS or
     * extra authentication rules, no WebSocket or HTTP listener, the system's keepalive timings, first-come admission.
     * The binder builds every other combination through the canonical constructor, whose null sections are defaults.
     */
    public PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
            int maxMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
            Map<String, DatabaseConfig> databases, Map<String, UserConfig> users) {
        this(listen, adminListen, transport, workerThreads, maxMessageLength,
                defaultMaxParsedMessageLength(maxMessageLength), authType, pool, timeouts, databases, users, null,
                AuthSettings.defaults(), null, null, null, null, null);
    }

    /** Every TCP address clients connect to: {@link #listen} first, then the others {@code listen} lists. */
    public java.util.List<HostPort> listenAddresses() {
        java.util.List<HostPort> all = new java.util.ArrayList<>();
        all.add(listen);
        all.addAll(clientAddresses.moreListen());
        return java.util.List.copyOf(all);
    }

    /** The default {@code max_parsed_message_length} under a given {@code max_message_length}. */
    public static int defaultMaxParsedMessageLength(int maxMessageLength) {
        return Math.min(DEFAULT_MAX_PARSED_MESSAGE_LENGTH, maxMessageLength);
    }

    /** The key of PgBouncer's fallback database: any name not listed is served through it. */
    public static final String FALLBACK_DATABASE = "*";

    /**
     * The database clients know as {@code name}: its own entry, else one made from the fallback entry {@code *}
     * for that name (a new value at each call), else {@code null}.
     */
    public DatabaseConfig database(String name) {
        DatabaseConfig db = databases.get(name);
        if (db != null || name == null || name.isEmpty()) {
            return db;
        }
        DatabaseConfig fallback = databases.get(FALLBACK_DATABASE);
        return fallback == null ? null : fallback.servingAs(name);
    }

    /** The configured client user {@code name}, or {@code null} if there is none. */
    public UserConfig user(String name) {
        return users.get(name);
    }

    /**
     * Effective pool mode for a (database, user) pair: the user's override, else the database's override, else
     * {@code pool.mode}. Unknown names simply contribute no override.
     */
    public PoolMode poolMode(String database, String user) {
        UserConfig userConfig = users.get(user);
        if (userConfig != null && userConfig.poolMode() != null) {
            return userConfig.poolMode();
        }
        DatabaseConfig databaseConfig = database(database);
        if (databaseConfig != null && databaseConfig.poolMode() != null) {
            return databaseConfig.poolMode();
        }
        return pool.mode();
    }

    /**
     * Effective pinning policy for a (database, user) pair: the user's override, else the database's override, else
     * {@code pool.pinning}. Unknown names simply contribute no override.
     */
    public PinningPolicy pinningPolicy(String database, String user) {
        UserConfig userConfig = users.get(user);
        if (userConfig != null && userConfig.pinning() != null) {
            return userConfig.pinning();
        }
        DatabaseConfig databaseConfig = database(database);
        if (databaseConfig != null && databaseConfig.pinning() != null) {
            return databaseConfig.pinning();
        }
        return pool.pinning();
    }

    /**
     * Effective pool size for a (database, user) pair: the user's {@code pool_size}, else the database's, else
     * {@code pool.default_pool_size}, as in PgBouncer.
     */
    public int poolSize(String database, String user) {
        UserConfig userConfig = users.get(user);
        if (userConfig != null && userConfig.limits().poolSize() != null) {
            return userConfig.limits().poolSize();
        }
        DatabaseConfig databaseConfig = database(database);
        if (databaseConfig != null && databaseConfig.poolSize() != null) {
            return databaseConfig.poolSize();
        }
        return pool.defaultPoolSize();
    }

    /** Backends each pool of {@code database} keeps open: the database's {@code min_pool_size}, else the pool's. */
    public int minPoolSize(String database) {
        return orDefault(limitsOf(database).minPoolSize(), pool.minPoolSize());
    }

    /** Extra backends each pool of {@code database} may open: its {@code reserve_pool_size}, else the pool's. */
    public int reservePoolSize(String database) {
        return orDefault(limitsOf(database).reservePoolSize(), pool.reservePoolSize());
    }

    /** The reserve of the pool of {@code user} on {@code database}: the user's, else the database's, else pool's. */
    public int reservePoolSize(String database, String user) {
        UserConfig u = users.get(user);
        Integer own = u == null ? null : u.limits().reservePoolSize();
        return own != null ? own : reservePoolSize(database);
    }

    /** How long backends of {@code database} live: its {@code server_lifetime}, else the timeouts section's. */
    public java.time.Duration serverLifetime(String database) {
        java.time.Duration own = limitsOf(database).serverLifetime();
        return own != null ? own : timeouts.serverLifetime();
    }

    /** Backends of {@code database} over all its pools: its {@code max_db_connections}, else the pool's (0: none). */
    public int maxDbConnections(String database) {
        return orDefault(limitsOf(database).maxDbConnections(), pool.maxDbConnections());
    }

    /** Clients of {@code database} at once: its {@code max_db_client_connections}, else the pool's; 0 = no limit. */
    public int maxDbClientConnections(String database) {
        return orDefault(limitsOf(database).maxClientConnections(), pool.maxDbClientConnections());
    }

    /**
     * Backends logged in as {@code serverUser} over all databases: that user's {@code max_user_connections}, else
     * the pool's; 0 = no limit.
     */
    public int maxUserConnections(String serverUser) {
        UserConfig u = users.get(serverUser);
        return orDefault(u == null ? null : u.limits().maxUserConnections(), pool.maxUserConnections());
    }

    /** Clients logged in as {@code user} at once: its {@code max_user_client_connections}, else the pool's. */
    public int maxUserClientConnections(String user) {
        UserConfig u = users.get(user);
        return orDefault(u == null ? null : u.limits().maxClientConnections(), pool.maxUserClientConnections());
    }

    /**
     * The client timeouts of {@code user}'s sessions: its own {@code query_timeout}, {@code idle_transaction_timeout}
     * and {@code client_idle_timeout} over the {@code timeouts} section. The section itself (no copy) when the user
     * has none of its own.
     */
    public Timeouts timeoutsFor(String user) {
        UserConfig u = users.get(user);
        if (u == null || !u.limits().hasTimeouts()) {
            return timeouts;
        }
        UserLimits l = u.limits();
        return timeouts.withClientTimeouts(l.queryTimeout(), l.idleTransactionTimeout(), l.clientIdleTimeout());
    }

    private DatabaseLimits limitsOf(String database) {
        DatabaseConfig db = database(database);
        return db == null ? DatabaseLimits.NONE : db.limits();
    }

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }
}
