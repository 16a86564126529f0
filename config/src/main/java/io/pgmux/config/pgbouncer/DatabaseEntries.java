// Translates the [databases] section: one connection string per database.
package io.pgmux.config.pgbouncer;

import io.pgmux.config.ConfigException;
import io.pgmux.config.TargetSessionAttrs;
import java.util.Map;
import java.util.Set;

/**
 * Each [databases] line becomes {@code databases.NAME}: dbname, user, password, pool_size, pool_mode,
 * connect_query, server_lifetime, client_encoding, datestyle, timezone, auth_user, auth_dbname, auth_query,
 * target_session_attrs and the limits (min_pool_size, reserve_pool, max_db_connections, max_db_client_connections)
 * carry over, and {@link DatabaseHosts} translates host, port and load_balance_hosts; the other PgBouncer keys are
 * ignored with a warning that names them, and an unknown key is an error, as in PgBouncer.
 */
final class DatabaseEntries {

    /** Keys PgBouncer 1.25 accepts in a database's connection string that pgmux does not apply per database. */
    static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("application_name", "clients' own application_name is set on every server connection"));

    /** Keys read together by {@link DatabaseHosts}. */
    private static final Set<String> SERVERS = Set.of("host", "port", "load_balance_hosts");

    /**
     * Keys that carry over. target_session_attrs (libpq's values, which pgmux has too) and reserve_pool_size (the
     * name of which reserve_pool became an alias) are keys of PgBouncer releases after 1.25.
     */
    static final Set<String> APPLIED = Set.of("dbname", "user", "password", "pool_size",
            "pool_mode", "min_pool_size", "reserve_pool", "max_db_connections", "max_db_client_connections",
            "connect_query", "server_lifetime", "client_encoding", "datestyle", "timezone", "auth_user",
            "auth_dbname", "auth_query", "target_session_attrs", "reserve_pool_size");

    /** Limits that may be 0, and the pgmux key each becomes (PgBouncer's reserve_pool is pgmux's reserve_pool_size). */
    private static final Map<String, String> LIMITS = Map.of(
            "min_pool_size", "min_pool_size",
            "reserve_pool", "reserve_pool_size",
            "reserve_pool_size", "reserve_pool_size",
            "max_db_connections", "max_db_connections",
            "max_db_client_connections", "max_db_client_connections");

    private DatabaseEntries() {
    }

    static void apply(IniEntry entry, ConversionTarget out) {
        String name = entry.key();
        Map<String, String> pairs = ConnectionString.parseOrReport(entry, out);
        if (pairs == null) {
            return;
        }
        out.entry("databases", name);
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            if (SERVERS.contains(key)) {
                continue; // read together by DatabaseHosts, below
            }
            if (IGNORED.containsKey(key)) {
                out.warn(entry.where() + ": database " + name + ": " + key + " is ignored: " + IGNORED.get(key));
            } else if (!APPLIED.contains(key)) {
                out.error(entry.where() + ": database " + name + ": unknown key '" + key + "'");
            } else {
                applyKey(entry, name, key, value, out);
            }
        }
        DatabaseHosts.apply(entry, name, pairs, out);
    }

    private static void applyKey(IniEntry entry, String name, String key, String value, ConversionTarget out) {
        switch (key) {
            case "pool_size" -> {
                IniEntry one = new IniEntry(entry.section(), name + " " + key, value, entry.where(), entry.file());
                Integer n = IniValues.integer(one, 1, out);
                if (n != null) {
                    out.entry("databases", name, key, n);
                }
            }
            case "min_pool_size", "reserve_pool", "reserve_pool_size", "max_db_connections",
                 "max_db_client_connections" -> {
                IniEntry one = new IniEntry(entry.section(), name + " " + key, value, entry.where(), entry.file());
                Integer n = IniValues.integer(one, 0, out);
                if (n != null) {
                    out.entry("databases", name, LIMITS.get(key), n);
                }
            }
            case "server_lifetime" -> {
                IniEntry one = new IniEntry(entry.section(), name + " " + key, value, entry.where(), entry.file());
                String seconds = IniValues.duration(one, out);
                if (seconds != null && !seconds.equals("0")) { // 0: the [pgbouncer] value, as in PgBouncer
                    out.entry("databases", name, key, seconds);
                }
            }
            case "auth_user", "auth_dbname", "auth_query" -> {
                if (!value.isBlank()) { // empty: the [pgbouncer] value, as in PgBouncer
                    out.entry("databases", name, key, value);
                }
            }
            case "target_session_attrs" -> {
                try {
                    out.entry("databases", name, key, TargetSessionAttrs.parse(value, key).text());
                } catch (ConfigException e) {
                    out.error(entry.where() + ": database " + name + ": " + e.getMessage());
                }
            }
            default -> out.entry("databases", name, key, value);
        }
    }
}
