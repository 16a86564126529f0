// Human names for the SQLSTATEs a connection storm typically produces.
package io.pgmux.loadtest.report;

import java.util.Map;

/** Names of common error keys; unknown keys are shown bare. */
public final class SqlStates {
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("53300", "too_many_connections"), Map.entry("53400", "configuration_limit_exceeded"),
            Map.entry("57P01", "admin_shutdown"), Map.entry("57P03", "cannot_connect_now"),
            Map.entry("57014", "query_canceled"), Map.entry("08001", "unable_to_connect"),
            Map.entry("08006", "connection_failure"), Map.entry("08P01", "protocol_violation"),
            Map.entry("28P01", "invalid_password"), Map.entry("28000", "invalid_authorization"),
            Map.entry("3D000", "invalid_catalog_name"), Map.entry("25P02", "in_failed_transaction"),
            Map.entry("40001", "serialization_failure"), Map.entry("timeout", "client-side timeout"));

    private SqlStates() {
    }

    /** {@code "53300 too_many_connections"}, or the key alone if it has no known name. */
    public static String label(String key) {
        String name = NAMES.get(key);
        return name == null ? key : key + " " + name;
    }
}
