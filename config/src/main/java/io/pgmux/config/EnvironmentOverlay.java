// Applies PGMUX_* environment variables on top of the configuration file.
package io.pgmux.config;

import java.util.Map;

/**
 * Environment overrides for container deployments. Each variable replaces one key; values are validated later by
 * the binders and errors name the variable. Empty variables count as unset, because container tooling often
 * defines variables with empty values.
 */
final class EnvironmentOverlay {

    static final String BACKEND = "PGMUX_BACKEND";

    /** Variable name to dotted key path; each sets a different key, so the order does not matter. */
    static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("PGMUX_LISTEN", "listen"),
            Map.entry("PGMUX_ADMIN_LISTEN", "admin_listen"),
            Map.entry("PGMUX_ADMIN_USERS", "admin_users"),
            Map.entry("PGMUX_STATS_USERS", "stats_users"),
            Map.entry("PGMUX_POOL_MODE", "pool.mode"),
            Map.entry("PGMUX_POOL_SIZE", "pool.default_pool_size"),
            Map.entry("PGMUX_MAX_CLIENT_CONN", "pool.max_client_conn"),
            Map.entry("PGMUX_AUTH_TYPE", "auth_type"),
            Map.entry("PGMUX_TRANSPORT", "transport"),
            // Differs per replica while the file is shared, e.g. from a StatefulSet's pod-index label.
            Map.entry("PGMUX_PEER_ID", "peer_id"),
            Map.entry("PGMUX_WARMUP", "warmup"));

    private EnvironmentOverlay() {
    }

    static void apply(ConfigNode root, Map<String, String> environment) {
        for (Map.Entry<String, String> variable : KEYS.entrySet()) {
            String value = environment.get(variable.getKey());
            if (value != null && !value.isBlank()) {
                putPath(root, variable.getValue(), value.trim(), variable.getKey());
            }
        }
        String backend = environment.get(BACKEND);
        if (backend != null && !backend.isBlank()) {
            BackendOverlay.apply(root, BackendUrl.parse(backend, BACKEND), BACKEND);
        }
    }

    /** Sets the scalar at a dotted path such as {@code pool.mode}, creating sections as needed. */
    static void putPath(ConfigNode root, String dottedPath, String text, String origin) {
        String[] keys = dottedPath.split("\\.");
        ConfigNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            node = node.childForWrite(keys[i]);
        }
        node.putScalar(keys[keys.length - 1], text, origin);
    }
}
