// Binds the `databases` section to DatabaseConfig entries.
package io.pgmux.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and validates every entry under {@code databases}, keeping their order. */
final class DatabasesBinder {

    private static final int DEFAULT_PORT = 5432;

    private DatabasesBinder() {
    }

    static Map<String, DatabaseConfig> bind(ConfigNode section) {
        Map<String, DatabaseConfig> databases = new LinkedHashMap<>();
        for (String name : section.keys()) {
            if (name.isBlank()) {
                throw ConfigException.at(section.path(), "database name must not be empty");
            }
            databases.put(name, bindOne(name, section.section(name)));
        }
        return databases;
    }

    private static DatabaseConfig bindOne(String name, ConfigNode node) {
        SectionReader r = new SectionReader(node);
        List<HostPort> hosts = hosts(r);
        DatabaseConfig database = new DatabaseConfig(
                name,
                hosts.get(0).host(),
                hosts.get(0).port(),
                nonBlank(r, "dbname", name),
                nonBlank(r, "user", null),
                r.string("password", null),
                r.choice("pool_mode", null, PoolMode::parse),
                r.optionalInteger("pool_size", 1, Integer.MAX_VALUE),
                r.choice("pinning", null, PinningPolicy::parse),
                hosts,
                r.choice("target_session_attrs", null, TargetSessionAttrs::parse),
                r.duration("failover_hold_timeout", null, true),
                r.duration("health_check_period", null, true),
                r.duration("max_replica_lag", null, true),
                limits(r),
                r.string("connect_query", null),
                serverParameters(r),
                auth(r));
        r.finish();
        return database;
    }

    /** PgBouncer's per-database limits; {@code reserve_pool} is accepted too, the name PgBouncer uses here. */
    private static DatabaseLimits limits(SectionReader r) {
        Integer reserve = r.optionalInteger("reserve_pool_size", 0, Integer.MAX_VALUE);
        Integer reserveAlias = r.optionalInteger("reserve_pool", 0, Integer.MAX_VALUE);
        if (reserve != null && reserveAlias != null) {
            throw ConfigException.at(r.originOf("reserve_pool"), "give either reserve_pool_size or reserve_pool");
        }
        return new DatabaseLimits(
                r.optionalInteger("min_pool_size", 0, Integer.MAX_VALUE),
                reserve != null ? reserve : reserveAlias,
                r.optionalInteger("max_db_connections", 0, Integer.MAX_VALUE),
                r.optionalInteger("max_db_client_connections", 0, Integer.MAX_VALUE),
                r.duration("server_lifetime", null, false));
    }

    /** PgBouncer's per-database auth_user, auth_dbname and auth_query. */
    private static DatabaseAuth auth(SectionReader r) {
        String query = nonBlank(r, "auth_query", null);
        if (query != null) {
            AuthSettingsBinder.checkQuery(query, r.originOf("auth_query"));
        }
        DatabaseAuth auth = new DatabaseAuth(nonBlank(r, "auth_user", null), nonBlank(r, "auth_dbname", null), query);
        return auth.equals(DatabaseAuth.NONE) ? DatabaseAuth.NONE : auth;
    }

    /** PgBouncer's per-database client_encoding, datestyle and timezone, under PostgreSQL's parameter names. */
    private static Map<String, String> serverParameters(SectionReader r) {
        Map<String, String> parameters = new LinkedHashMap<>();
        putIfSet(parameters, "client_encoding", nonBlank(r, "client_encoding", null));
        putIfSet(parameters, "DateStyle", nonBlank(r, "datestyle", null));
        putIfSet(parameters, "TimeZone", nonBlank(r, "timezone", null));
        return parameters;
    }

    private static void putIfSet(Map<String, String> parameters, String name, String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }

    /** {@code hosts: [h1:5432, h2:5432]}, or the single {@code host} and {@code port}; one form, not both. */
    private static List<HostPort> hosts(SectionReader r) {
        ConfigList list = r.node().list("hosts");
        if (list == null) {
            return List.of(new HostPort(r.requiredString("host"), r.integer("port", DEFAULT_PORT, 1, 65535)));
        }
        if (r.string("host", null) != null || r.string("port", null) != null) {
            throw ConfigException.at(list.origin(), "give either hosts or host and port, not both");
        }
        return BackendHosts.parse(list.items(), list.origin());
    }

    /** Names may be omitted, but an empty one is always a mistake. */
    private static String nonBlank(SectionReader r, String key, String fallback) {
        String value = r.string(key, fallback);
        if (value != null && value.isBlank()) {
            throw ConfigException.at(r.originOf(key), "must not be empty");
        }
        return value;
    }
}
