// Translates the [users] section: per-user settings, whose passwords come from auth_file.
package io.pgmux.config.pgbouncer;

import java.util.Map;

/**
 * Each [users] line becomes {@code users.NAME}; pool_mode, max_user_connections and max_user_client_connections
 * carry over, the other PgBouncer keys are ignored with a
 * warning that names them, and an unknown key is an error. The user's password still comes from auth_file (pgmux
 * merges the two), as in PgBouncer.
 */
final class UserEntries {

    /** Keys PgBouncer 1.25 accepts for a user that pgmux does not apply per user. */
    static final Map<String, String> IGNORED = Map.of(
            "pool_size", "pgmux sizes pools per database (pool_size) or by default_pool_size",
            "reserve_pool_size", "pgmux has one reserve_pool_size for every pool",
            "query_timeout", "pgmux has one query_timeout for every client",
            "idle_transaction_timeout", "pgmux has one idle_transaction_timeout for every client",
            "client_idle_timeout", "pgmux has one client_idle_timeout for every client");

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
            } else if (key.equals("max_user_connections") || key.equals("max_user_client_connections")) {
                IniEntry one = new IniEntry(entry.section(), name + " " + key, pair.getValue(), entry.where(),
                        entry.file());
                Integer n = IniValues.integer(one, 0, out);
                if (n != null) {
                    out.entry("users", name, key, n);
                }
            } else if (IGNORED.containsKey(key)) {
                out.warn(entry.where() + ": user " + name + ": " + key + " is ignored: " + IGNORED.get(key));
            } else {
                out.error(entry.where() + ": user " + name + ": unknown key '" + key + "'");
            }
        }
    }
}
