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
 * @param listen           {@code listen}: address clients connect to (default {@code 127.0.0.1:6432})
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
 * @param admission        fair queueing between tenants and wait deadlines (admission keys of {@code pool});
 *                         {@code null} is {@link AdmissionSettings#defaults()}
 */
public record PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
        int maxMessageLength, int maxParsedMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
        Map<String, DatabaseConfig> databases, Map<String, UserConfig> users, AdminSettings admin,
        AuthSettings auth, FleetSettings fleet, AdmissionSettings admission) {

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
        admission = admission == null ? AdmissionSettings.defaults() : admission;
    }

    /** A configuration with the default admission: first come, first served, no deadlines. */
    public PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
            int maxMessageLength, int maxParsedMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
            Map<String, DatabaseConfig> databases, Map<String, UserConfig> users, AdminSettings admin,
            AuthSettings auth, FleetSettings fleet) {
        this(listen, adminListen, transport, workerThreads, maxMessageLength, maxParsedMessageLength, authType, pool,
                timeouts, databases, users, admin, auth, fleet, AdmissionSettings.defaults());
    }

    /** A configuration of a lone pgmux ({@link FleetSettings#defaults()}). */
    public PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
            int maxMessageLength, int maxParsedMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
            Map<String, DatabaseConfig> databases, Map<String, UserConfig> users, AdminSettings admin,
            AuthSettings auth) {
        this(listen, adminListen, transport, workerThreads, maxMessageLength, maxParsedMessageLength, authType, pool,
                timeouts, databases, users, admin, auth, FleetSettings.defaults());
    }

    /** A configuration without admin console users, TLS or extra authentication rules. */
    public PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
            int maxMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
            Map<String, DatabaseConfig> databases, Map<String, UserConfig> users) {
        this(listen, adminListen, transport, workerThreads, maxMessageLength,
                defaultMaxParsedMessageLength(maxMessageLength), authType, pool, timeouts, databases,
                users, AdminSettings.none(), AuthSettings.defaults());
    }

    /** A configuration without TLS or extra authentication rules ({@link AuthSettings#defaults()}). */
    public PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
            int maxMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
            Map<String, DatabaseConfig> databases, Map<String, UserConfig> users, AdminSettings admin) {
        this(listen, adminListen, transport, workerThreads, maxMessageLength,
                defaultMaxParsedMessageLength(maxMessageLength), authType, pool, timeouts, databases,
                users, admin, AuthSettings.defaults());
    }

    /** A configuration without admin console users. */
    public PgmuxConfig(HostPort listen, HostPort adminListen, TransportType transport, int workerThreads,
            int maxMessageLength, AuthType authType, PoolSettings pool, Timeouts timeouts,
            Map<String, DatabaseConfig> databases, Map<String, UserConfig> users, AuthSettings auth) {
        this(listen, adminListen, transport, workerThreads, maxMessageLength,
                defaultMaxParsedMessageLength(maxMessageLength), authType, pool, timeouts, databases,
                users, AdminSettings.none(), auth);
    }

    /** The default {@code max_parsed_message_length} under a given {@code max_message_length}. */
    public static int defaultMaxParsedMessageLength(int maxMessageLength) {
        return Math.min(DEFAULT_MAX_PARSED_MESSAGE_LENGTH, maxMessageLength);
    }

    /** The database clients know as {@code name}, or {@code null} if there is none. */
    public DatabaseConfig database(String name) {
        return databases.get(name);
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
        DatabaseConfig databaseConfig = databases.get(database);
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
        DatabaseConfig databaseConfig = databases.get(database);
        if (databaseConfig != null && databaseConfig.pinning() != null) {
            return databaseConfig.pinning();
        }
        return pool.pinning();
    }

    /**
     * Effective pool size for a (database, user) pair: the database's {@code pool_size} override, else
     * {@code pool.default_pool_size}. The user is accepted for symmetry with {@link #poolMode} and future per-user sizes.
     */
    public int poolSize(String database, String user) {
        DatabaseConfig databaseConfig = databases.get(database);
        if (databaseConfig != null && databaseConfig.poolSize() != null) {
            return databaseConfig.poolSize();
        }
        return pool.defaultPoolSize();
    }
}
