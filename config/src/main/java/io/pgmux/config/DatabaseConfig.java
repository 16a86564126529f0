// One logical database clients can connect to, and the PostgreSQL server behind it.
package io.pgmux.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An entry of the {@code databases} section. Clients connect to pgmux naming {@link #name()}; pgmux connects to
 * {@link #host()}:{@link #port()} and opens {@link #dbname()} there, or, with several {@link #hosts()}, on the first
 * of them whose role {@link #targetSessionAttrs()} accepts.
 *
 * <p>Hazard: holds a password; {@link #toString()} masks it, but the accessor returns it in clear.
 *
 * @param name     the key under {@code databases}, the database name clients ask for
 * @param host     backend host, required
 * @param port     backend port, 1..65535 (default 5432)
 * @param dbname   database name on the backend; {@code null} in the constructor means "same as {@code name}"
 * @param user     backend login user overriding the client's user name, or {@code null} to use the client's
 * @param password backend password, or {@code null}
 * @param poolMode pool mode override, or {@code null} to inherit {@code pool.mode}
 * @param poolSize pool size override, or {@code null} to inherit {@code pool.default_pool_size}
 * @param pinning  pinning policy override, or {@code null} to inherit {@code pool.pinning}
 * @param hosts    every host of the database in the order they are tried, the first being {@code host:port};
 *                 {@code null} in the constructor means that one alone
 * @param targetSessionAttrs which hosts' roles may serve the database; {@code null} means {@code any}
 * @param failoverHoldTimeout how long a client waits for a backend while no host accepts logins (a restart, a
 *                 failover) before it gets the login error; {@code null} means {@link #DEFAULT_FAILOVER_HOLD}
 * @param healthCheckPeriod how often each host of a database with several hosts is checked (reachable, role,
 *                 replay lag); zero turns the checks off; {@code null} means {@link #DEFAULT_HEALTH_CHECK_PERIOD}
 * @param maxReplicaLag a standby whose replay lag is above this gets no new transactions until it catches up;
 *                 zero (or {@code null}) means no limit
 * @param limits   the pool-wide limits this database sets for itself; {@code null} means none
 * @param connectQuery statements run once on every new backend of the database before it is lent
 *                 ({@code connect_query}); {@code null} or empty for none
 * @param serverParameters startup parameters every backend of the database is opened with, by PostgreSQL's names
 *                 ({@code client_encoding}, {@code DateStyle}, {@code TimeZone}), from PgBouncer's per-database
 *                 {@code client_encoding}, {@code datestyle} and {@code timezone}; {@code null} means none
 * @param auth     the database's own {@code auth_user}, {@code auth_dbname} and {@code auth_query}; {@code null} means
 *                 {@link DatabaseAuth#NONE}
 */
public record DatabaseConfig(String name, String host, int port, String dbname, String user, String password,
        PoolMode poolMode, Integer poolSize, PinningPolicy pinning, List<HostPort> hosts,
        TargetSessionAttrs targetSessionAttrs, Duration failoverHoldTimeout, Duration healthCheckPeriod,
        Duration maxReplicaLag, DatabaseLimits limits, String connectQuery, Map<String, String> serverParameters,
        DatabaseAuth auth) {

    /** {@code failover_hold_timeout} when not set: long enough for a managed database's failover. */
    public static final Duration DEFAULT_FAILOVER_HOLD = Duration.ofSeconds(30);
    /** {@code health_check_period} when not set. */
    public static final Duration DEFAULT_HEALTH_CHECK_PERIOD = Duration.ofSeconds(10);

    /**
     * @throws IllegalArgumentException if the port is outside 1..65535, the pool size is below 1, or {@code hosts}
     *                                  is empty or does not start with {@code host:port}
     */
    public DatabaseConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        if (poolSize != null && poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
        }
        dbname = dbname == null ? name : dbname;
        hosts = hosts == null ? List.of(new HostPort(host, port)) : List.copyOf(hosts);
        if (hosts.isEmpty() || !hosts.get(0).equals(new HostPort(host, port))) {
            throw new IllegalArgumentException("hosts must start with " + host + ":" + port + ", got " + hosts);
        }
        targetSessionAttrs = targetSessionAttrs == null ? TargetSessionAttrs.ANY : targetSessionAttrs;
        failoverHoldTimeout = failoverHoldTimeout == null ? DEFAULT_FAILOVER_HOLD : failoverHoldTimeout;
        if (failoverHoldTimeout.isNegative()) {
            throw new IllegalArgumentException("failoverHoldTimeout must not be negative");
        }
        healthCheckPeriod = healthCheckPeriod == null ? DEFAULT_HEALTH_CHECK_PERIOD : healthCheckPeriod;
        maxReplicaLag = maxReplicaLag == null ? Duration.ZERO : maxReplicaLag;
        if (healthCheckPeriod.isNegative() || maxReplicaLag.isNegative()) {
            throw new IllegalArgumentException("healthCheckPeriod and maxReplicaLag must not be negative");
        }
        limits = limits == null ? DatabaseLimits.NONE : limits;
        connectQuery = connectQuery == null || connectQuery.isBlank() ? null : connectQuery;
        serverParameters = serverParameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(serverParameters));
        auth = auth == null ? DatabaseAuth.NONE : auth;
    }

    /**
     * One host, any role, and the defaults of every other setting. The binder builds every other combination through
     * the canonical constructor, whose null components are defaults.
     */
    public DatabaseConfig(String name, String host, int port, String dbname, String user, String password,
            PoolMode poolMode, Integer poolSize, PinningPolicy pinning) {
        this(name, host, port, dbname, user, password, poolMode, poolSize, pinning, null, null, null, null, null, null,
                null, null, null);
    }

    /**
     * This entry used as PgBouncer's fallback database for a client asking for {@code clientName}: the same server
     * and settings under that name, and the database of that name on the server unless the entry names one.
     */
    public DatabaseConfig servingAs(String clientName) {
        String serverDb = dbname.equals(name) ? clientName : dbname;
        return new DatabaseConfig(clientName, host, port, serverDb, user, password, poolMode, poolSize, pinning, hosts,
                targetSessionAttrs, failoverHoldTimeout, healthCheckPeriod, maxReplicaLag, limits, connectQuery,
                serverParameters, auth);
    }

    /** Like the record's own, but the password is shown as {@code ***}. */
    @Override
    public String toString() {
        return "DatabaseConfig[name=" + name + ", host=" + host + ", port=" + port + ", dbname=" + dbname
                + ", user=" + user + ", password=" + (password == null ? "null" : "***")
                + ", poolMode=" + poolMode + ", poolSize=" + poolSize + ", pinning=" + pinning + ", hosts=" + hosts
                + ", targetSessionAttrs=" + targetSessionAttrs + ", failoverHoldTimeout=" + failoverHoldTimeout
                + ", healthCheckPeriod=" + healthCheckPeriod + ", maxReplicaLag=" + maxReplicaLag
                + ", limits=" + limits + ", connectQuery=" + connectQuery + ", serverParameters=" + serverParameters
                + ", auth=" + auth + "]";
    }
}
