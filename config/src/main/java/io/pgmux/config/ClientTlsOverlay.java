// Applies the PGMUX_CLIENT_TLS_* variables and --client-tls-* flags.
package io.pgmux.config;

import java.util.Map;

/**
 * Environment and flag overrides for the client TLS keys, applied after the other environment variables and
 * before the other flags (each sets different keys, so only the environment-before-flags order matters).
 */
final class ClientTlsOverlay {

    /** Variable name to key. */
    static final Map<String, String> VARIABLES = Map.of(
            "PGMUX_CLIENT_TLS_CERT", "client_tls_cert_file",
            "PGMUX_CLIENT_TLS_KEY", "client_tls_key_file",
            "PGMUX_CLIENT_TLS_SSLMODE", "client_tls_sslmode",
            "PGMUX_CLIENT_TLS_CA", "client_tls_ca_file");

    private ClientTlsOverlay() {
    }

    static void apply(ConfigNode root, Map<String, String> environment, ClientTlsFlags flags) {
        for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
            String value = environment.get(variable.getKey());
            if (value != null && !value.isBlank()) {
                EnvironmentOverlay.putPath(root, variable.getValue(), value.trim(), variable.getKey());
            }
        }
        put(root, "client_tls_cert_file", flags.certFile(), "--client-tls-cert");
        put(root, "client_tls_key_file", flags.keyFile(), "--client-tls-key");
        put(root, "client_tls_sslmode", flags.sslmode(), "--client-tls-sslmode");
        put(root, "client_tls_ca_file", flags.caFile(), "--client-tls-ca");
    }

    private static void put(ConfigNode root, String key, String value, String flag) {
        if (value != null) {
            EnvironmentOverlay.putPath(root, key, value, flag);
        }
    }
}
