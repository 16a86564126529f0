// Translates the [users] section: per-user settings, whose passwords come from auth_file.
package io.pgmux.config.pgbouncer;

import java.util.Map;
import java.util.Set;

/**
 * Each [users] line becomes {@code users.NAME}; every key of PgBouncer 1.25 carries over (pool_mode, pool_size,
 * reserve_pool_size, max_user_connections, max_user_client_connections and the three client timeouts), and an
 * unknown key is an error. The user's password still comes from auth_file (pgmux
 * merges the two), as in PgBouncer.
 */
final class UserEntries {

    /** Keys PgBouncer accepts for a user that pgmux does not apply per user: none of PgBouncer 1.25's. */
    static final Map<String, String> IGNORED = Map.of();

    /** Times that carry over under the same key, in seconds as PgBouncer writes them; 0 turns them off. */
    private static final Set<String> TIMEOUTS = Set.of("query_timeout", "idle_transaction_timeout",
            "client_idle_timeout");

    /** Numbers that carry over under the same key, with the least value each accepts. */
    private static final Map<String, Integer> MIN_VALUES = Map.of("max_user_connections", 0,
            "max_user_client_connections", 0, "pool_size", 1, "reserve_pool_size", 0);

    private UserEntries() {
    }

    static void apply(IniEntry entry, ConversionTarget out) {
        String name = entry.key();
        Map<String, String> pairs = ConnectionString.parseOrReport(entry, out);
        if (pairs == null) {
            return;
        }
        out.entry("users", name);
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            String key = pair.getKey();
            if (key.equals("pool_mode")) {
                out.entry("users", name, "pool_mode", pair.getValue());
            } else if (MIN_VALUES.containsKey(key)) {
                IniEntry one = new IniEntry(entry.section(), name + " " + key, pair.getValue(), entry.where(),
                        entry.file());
                Integer n = IniValues.integer(one, MIN_VALUES.get(key), out);
                if (n != null) {
                    out.entry("users", name, key, n);
                }
            } else if (TIMEOUTS.contains(key)) {
                IniEntry one = new IniEntry(entry.section(), name + " " + key, pair.getValue(), entry.where(),
                        entry.file());
                String duration = IniValues.duration(one, out);
                if (duration != null) {
                    out.entry("users", name, key, IniValues.yaml(duration));
                }
            } else if (IGNORED.containsKey(key)) {
                out.warn(entry.where() + ": user " + name + ": " + key + " is ignored: " + IGNORED.get(key));
            } else {
                out.error(entry.where() + ": user " + name + ": unknown key '" + key + "'");
            }
        }
    }
}
