// Binds the `pool` section to PoolSettings.
package io.pgmux.config;

import java.util.regex.Pattern;

/** Reads and validates the {@code pool} section. */
final class PoolSettingsBinder {

    private static final int MAX = Integer.MAX_VALUE;
    /** A GUC name as SET accepts it unquoted; dots for extension settings such as {@code pg_stat_statements.track}. */
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private PoolSettingsBinder() {
    }

    static PoolSettings bind(ConfigNode section) {
        PoolSettings d = PoolSettings.defaults();
        SectionReader r = new SectionReader(section);
        PoolSettings settings = new PoolSettings(
                r.choice("mode", d.mode(), PoolMode::parse),
                r.integer("default_pool_size", d.defaultPoolSize(), 1, MAX),
                r.integer("min_pool_size", d.minPoolSize(), 0, MAX),
                r.integer("reserve_pool_size", d.reservePoolSize(), 0, MAX),
                r.duration("reserve_pool_timeout", d.reservePoolTimeout(), false),
                r.integer("max_db_connections", d.maxDbConnections(), 0, MAX),
                r.integer("max_user_connections", d.maxUserConnections(), 0, MAX),
                r.integer("max_client_conn", d.maxClientConn(), 1, MAX),
                r.string("server_reset_query", d.serverResetQuery()),
                r.string("server_check_query", d.serverCheckQuery()),
                r.choice("pinning", d.pinning(), PinningPolicy::parse),
                r.names("track_extra_parameters", d.trackExtraParameters(), PARAMETER_NAME,
                        "a list of parameter names like [search_path, statement_timeout]"),
                r.integer("max_prepared_statements", d.maxPreparedStatements(), 0, MAX),
                r.integer("max_waiting_clients", d.maxWaitingClients(), 0, MAX),
                r.choice("listen", d.listen(), ListenMode::parse),
                r.integer("max_queued_notifications", d.maxQueuedNotifications(), 1, MAX),
                r.integer("max_db_client_connections", d.maxDbClientConnections(), 0, MAX),
                r.integer("max_user_client_connections", d.maxUserClientConnections(), 0, MAX),
                r.choice("server_round_robin", d.serverRoundRobin(), LogSettingsBinder::bool));
        if (settings.minPoolSize() > settings.defaultPoolSize()) {
            throw ConfigException.at(r.originOf("min_pool_size"), "must not exceed pool.default_pool_size ("
                    + settings.defaultPoolSize() + "), got " + settings.minPoolSize());
        }
        r.finish();
        return settings;
    }
}
