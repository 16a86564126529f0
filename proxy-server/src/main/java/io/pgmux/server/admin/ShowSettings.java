// SHOW DATABASES, USERS, CONFIG, LISTS, VERSION and STATE, in PgBouncer's columns.
package io.pgmux.server.admin;

import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.PoolSettings;
import io.pgmux.config.TcpKeepalive;
import io.pgmux.config.Timeouts;
import io.pgmux.config.UserConfig;
import io.pgmux.server.RestartOnlyKeys;
import io.pgmux.pool.ConnectionBudget;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolStats;
import io.pgmux.server.metrics.ClientEntry;
import java.time.Duration;
import java.util.List;

/**
 * The configuration and inventory tables. Passwords are never shown: SHOW DATABASES has no password column and
 * SHOW CONFIG lists no secret.
 */
final class ShowSettings {
    private final ServerControl control;
    private final String version;

    ShowSettings(ServerControl control, String version) {
        this.control = control;
        this.version = version;
    }

    /** The host, or with several hosts all of them as PgBouncer shows them: {@code h1:5432,h2:5432}. */
    private static String hostsOf(DatabaseConfig db) {
        if (db.hosts().size() == 1) {
            return db.host();
        }
        return String.join(",", db.hosts().stream().map(Object::toString).toList());
    }

    ResultTable databases() {
        ResultTable t = new ResultTable().text("name", "host").number("port").text("database", "force_user")
                .number("pool_size", "min_pool_size", "reserve_pool_size", "server_lifetime")
                .text("pool_mode", "load_balance_hosts")
                .number("max_connections", "current_connections", "max_client_connections",
                        "current_client_connections", "paused", "disabled");
        PgmuxConfig config = control.config();
        PoolSettings pool = config.pool();
        for (DatabaseConfig db : config.databases().values()) {
            ConnectionBudget budget = control.pools().databaseBudget(db.name());
            List<Pool> pools = control.poolsOf(db.name());
            boolean paused = !pools.isEmpty() && pools.stream().allMatch(p -> p.admin().isPaused());
            t.row(db.name(), hostsOf(db), db.port(), db.dbname(), db.user(),
                    db.poolSize() != null ? db.poolSize() : pool.defaultPoolSize(), config.minPoolSize(db.name()),
                    config.reservePoolSize(db.name()), config.serverLifetime(db.name()).toSeconds(),
                    db.poolMode() == null ? null : db.poolMode().configName(),
                    db.hosts().size() > 1 ? "round-robin" : null,
                    budget == null ? config.maxDbConnections(db.name()) : budget.limit(),
                    budget == null ? 0 : budget.used(), maxClientsOf(config, db.name()), clientsOf(db.name(), null),
                    paused ? 1 : 0, control.isDisabled(db.name()) ? 1 : 0);
        }
        t.row("pgbouncer", null, config.listen().port(), "pgbouncer", "pgbouncer", 2, 0, 0, 0, "statement", null, 0,
                0, pool.maxClientConn(), clientsOf("pgbouncer", null) + clientsOf("pgmux", null), 0, 0);
        return t;
    }

    private static String textOrNull(Integer value) {
        return value == null ? null : value.toString();
    }

    /** The database's own client limit when it has one, as PgBouncer shows it; else the limit of all clients. */
    private static int maxClientsOf(PgmuxConfig config, String database) {
        int own = config.maxDbClientConnections(database);
        return own > 0 ? own : config.pool().maxClientConn();
    }

    ResultTable users() {
        ResultTable t = new ResultTable().text("name", "pool_size", "reserve_pool_size", "pool_mode")
                .number("max_user_connections", "current_connections", "max_user_client_connections",
                        "current_client_connections");
        PgmuxConfig config = control.config();
        for (UserConfig user : config.users().values()) {
            ConnectionBudget budget = control.pools().userBudget(user.name());
            t.row(user.name(), textOrNull(user.limits().poolSize()), textOrNull(user.limits().reservePoolSize()),
                    user.poolMode() == null ? null : user.poolMode().configName(),
                    budget == null ? config.maxUserConnections(user.name()) : budget.limit(),
                    budget == null ? 0 : budget.used(), config.maxUserClientConnections(user.name()),
                    clientsOf(null, user.name()));
        }
        return t;
    }

    ResultTable config() {
        ResultTable t = new ResultTable().text("key", "value", "default", "changeable");
        PgmuxConfig c = control.config();
        PoolSettings p = c.pool();
        PoolSettings dp = PoolSettings.defaults();
        Timeouts to = c.timeouts();
        Timeouts dt = Timeouts.defaults();
        setting(t, "listen", c.listenAddresses().stream().map(Object::toString)
                .collect(java.util.stream.Collectors.joining(",")), PgmuxConfig.DEFAULT_LISTEN);
        setting(t, "admin_listen", c.adminListen(), null);
        setting(t, "transport", c.transport().name().toLowerCase(java.util.Locale.ROOT), "auto");
        setting(t, "worker_threads", c.workerThreads(), 0);
        setting(t, "max_message_length", c.maxMessageLength(), PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT);
        setting(t, "max_parsed_message_length", c.maxParsedMessageLength(),
                PgmuxConfig.defaultMaxParsedMessageLength(c.maxMessageLength()));
        setting(t, "auth_type", c.authType().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), "md5");
        setting(t, "admin_users", String.join(",", c.admin().adminUsers()), "");
        setting(t, "stats_users", String.join(",", c.admin().statsUsers()), "");
        setting(t, "pool_mode", p.mode().configName(), dp.mode().configName());
        setting(t, "default_pool_size", p.defaultPoolSize(), dp.defaultPoolSize());
        setting(t, "min_pool_size", p.minPoolSize(), dp.minPoolSize());
        setting(t, "reserve_pool_size", p.reservePoolSize(), dp.reservePoolSize());
        setting(t, "reserve_pool_timeout", seconds(p.reservePoolTimeout()), seconds(dp.reservePoolTimeout()));
        setting(t, "max_db_connections", p.maxDbConnections(), dp.maxDbConnections());
        setting(t, "max_user_connections", p.maxUserConnections(), dp.maxUserConnections());
        setting(t, "max_client_conn", p.maxClientConn(), dp.maxClientConn());
        setting(t, "max_db_client_connections", p.maxDbClientConnections(), dp.maxDbClientConnections());
        setting(t, "max_user_client_connections", p.maxUserClientConnections(), dp.maxUserClientConnections());
        setting(t, "server_reset_query", p.serverResetQuery(), dp.serverResetQuery());
        setting(t, "server_check_query", p.serverCheckQuery(), dp.serverCheckQuery());
        setting(t, "pinning", p.pinning().name().toLowerCase(java.util.Locale.ROOT), "pin");
        setting(t, "track_extra_parameters", String.join(",", p.trackExtraParameters()), "");
        setting(t, "listen_mode", p.listen().configName(), dp.listen().configName());
        setting(t, "max_queued_notifications", p.maxQueuedNotifications(), dp.maxQueuedNotifications());
        setting(t, "client_login_timeout", seconds(to.clientLoginTimeout()), seconds(dt.clientLoginTimeout()));
        setting(t, "query_wait_timeout", seconds(to.queryWaitTimeout()), seconds(dt.queryWaitTimeout()));
        setting(t, "max_waiting_clients", p.maxWaitingClients(), dp.maxWaitingClients());
        setting(t, "query_wait_notify", seconds(to.queryWaitNotify()), seconds(dt.queryWaitNotify()));
        setting(t, "server_connect_timeout", seconds(to.serverConnectTimeout()), seconds(dt.serverConnectTimeout()));
        setting(t, "server_idle_timeout", seconds(to.serverIdleTimeout()), seconds(dt.serverIdleTimeout()));
        setting(t, "server_lifetime", seconds(to.serverLifetime()), seconds(dt.serverLifetime()));
        setting(t, "server_login_retry", seconds(to.serverLoginRetry()), seconds(dt.serverLoginRetry()));
        setting(t, "client_idle_timeout", seconds(to.clientIdleTimeout()), seconds(dt.clientIdleTimeout()));
        setting(t, "idle_transaction_timeout", seconds(to.idleTransactionTimeout()),
                seconds(dt.idleTransactionTimeout()));
        setting(t, "query_timeout", seconds(to.queryTimeout()), seconds(dt.queryTimeout()));
        setting(t, "transaction_timeout", seconds(to.transactionTimeout()), seconds(dt.transactionTimeout()));
        TcpKeepalive tcp = c.tcp();
        TcpKeepalive dtcp = TcpKeepalive.defaults();
        setting(t, "tcp_keepalive", tcp.enabled() ? 1 : 0, dtcp.enabled() ? 1 : 0);
        setting(t, "tcp_keepidle", tcp.idleSeconds(), dtcp.idleSeconds());
        setting(t, "tcp_keepintvl", tcp.intervalSeconds(), dtcp.intervalSeconds());
        setting(t, "tcp_keepcnt", tcp.count(), dtcp.count());
        setting(t, "tcp_user_timeout", tcp.userTimeoutMillis(), dtcp.userTimeoutMillis());
        setting(t, "shutdown_timeout", seconds(to.shutdownTimeout()), seconds(dt.shutdownTimeout()));
        setting(t, "server_check_delay", seconds(to.serverCheckDelay()), seconds(dt.serverCheckDelay()));
        MoreConfigRows.add(c, (key, value, defaultValue) -> setting(t, key, value, defaultValue));
        AdmissionConfigRows.add(c, (key, value, defaultValue) -> setting(t, key, value, defaultValue));
        return t;
    }

    /**
     * A row of SHOW CONFIG; {@code changeable} is "no" for the keys a reload leaves as they were at start-up, from
     * the one list the reload itself uses.
     */
    private static void setting(ResultTable t, String key, Object value, Object defaultValue) {
        t.row(key, value, defaultValue, RestartOnlyKeys.isRestartOnly(key) ? "no" : "yes");
    }

    ResultTable lists() {
        ResultTable t = new ResultTable().text("list").number("items");
        int servers = 0;
        for (Pool pool : control.pools().pools()) {
            PoolStats s = pool.stats();
            servers += s.total();
        }
        int loggedIn = control.clients().loggedIn();
        t.row("databases", control.config().databases().size());
        t.row("users", control.config().users().size());
        t.row("pools", control.pools().pools().size());
        t.row("free_clients", 0);
        t.row("used_clients", loggedIn);
        t.row("login_clients", Math.max(0, control.clients().connected() - loggedIn));
        t.row("free_servers", 0);
        t.row("used_servers", servers);
        t.row("dns_names", 0);
        t.row("dns_zones", 0);
        t.row("dns_queries", 0);
        t.row("dns_pending", 0);
        t.row("pinned_servers", control.pins().pinnedNow());
        return t;
    }

    ResultTable version() {
        ResultTable t = new ResultTable().text("version");
        t.row("pgmux " + version);
        return t;
    }

    ResultTable state() {
        ResultTable t = new ResultTable().text("key", "value");
        boolean paused = !control.poolsOf(null).isEmpty()
                && control.poolsOf(null).stream().allMatch(p -> p.admin().isPaused());
        t.row("active", paused || control.isSuspended() ? "no" : "yes");
        t.row("paused", paused ? "yes" : "no");
        t.row("suspended", control.isSuspended() ? "yes" : "no");
        return t;
    }

    private int clientsOf(String database, String user) {
        int n = 0;
        for (ClientEntry c : control.clients().loggedInClients()) {
            if ((database == null || c.database().equals(database)) && (user == null || c.user().equals(user))) {
                n++;
            }
        }
        return n;
    }

    private static long seconds(Duration d) {
        return d.toSeconds();
    }
}
