// Applies the quick-start command-line flags on top of the file and environment.
package io.pgmux.config;

/** Flag overrides; the highest-precedence source. Errors in flag values name the flag. */
final class FlagOverlay {

    private FlagOverlay() {
    }

    static void apply(ConfigNode root, QuickStartSettings flags) {
        putIfGiven(root, "listen", flags.listen(), "--listen");
        putIfGiven(root, "admin_listen", flags.adminListen(), "--admin-listen");
        putIfGiven(root, "admin_users", flags.adminUsers(), "--admin-users");
        putIfGiven(root, "stats_users", flags.statsUsers(), "--stats-users");
        if (flags.poolMode() != null) {
            putIfGiven(root, "pool.mode", flags.poolMode().configName(), "--pool-mode");
        }
        if (flags.poolSize() != null) {
            putIfGiven(root, "pool.default_pool_size", flags.poolSize().toString(), "--pool-size");
        }
        if (flags.maxClientConn() != null) {
            putIfGiven(root, "pool.max_client_conn", flags.maxClientConn().toString(), "--max-client-conn");
        }
        if (flags.backendUrl() != null) {
            BackendOverlay.apply(root, BackendUrl.parse(flags.backendUrl(), "--backend"), "--backend");
        }
    }

    private static void putIfGiven(ConfigNode root, String dottedPath, String value, String flag) {
        if (value != null) {
            EnvironmentOverlay.putPath(root, dottedPath, value, flag);
        }
    }
}
