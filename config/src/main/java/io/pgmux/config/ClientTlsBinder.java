// Binds the top-level client_tls_* keys to ClientTlsSettings.
package io.pgmux.config;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Reads and cross-checks the {@code client_tls_*} keys of the top-level mapping. */
final class ClientTlsBinder {

    private static final Pattern PROTOCOL = Pattern.compile("TLSv1\\.[23]");
    private static final Pattern CIPHER = Pattern.compile("[A-Za-z0-9_]+");

    private ClientTlsBinder() {
    }

    static ClientTlsSettings bind(SectionReader r) {
        Path cert = path(r, "client_tls_cert_file");
        Path key = path(r, "client_tls_key_file");
        Path ca = path(r, "client_tls_ca_file");
        ClientTlsMode fallback = cert != null && key != null ? ClientTlsMode.PREFER : ClientTlsMode.DISABLE;
        ClientTlsMode mode = r.choice("client_tls_sslmode", fallback, ClientTlsMode::parse);
        List<String> protocols = r.names("client_tls_protocols", ClientTlsSettings.DEFAULT_PROTOCOLS, PROTOCOL,
                "a list of TLS versions from TLSv1.2, TLSv1.3");
        List<String> ciphers = r.names("client_tls_ciphers", List.of(), CIPHER, "a list of cipher suite names");
        if (protocols.isEmpty()) {
            throw ConfigException.at(r.originOf("client_tls_protocols"), "must name at least one TLS version");
        }
        if (mode != ClientTlsMode.DISABLE && (cert == null || key == null)) {
            throw ConfigException.at(r.originOf(cert == null ? "client_tls_cert_file" : "client_tls_key_file"),
                    "is required when client_tls_sslmode is " + mode.configName());
        }
        if (mode.requiresClientCertificate() && ca == null) {
            throw ConfigException.at(r.originOf("client_tls_ca_file"),
                    "is required when client_tls_sslmode is " + mode.configName());
        }
        if (mode == ClientTlsMode.DISABLE) {
            return ClientTlsSettings.disabled();
        }
        return new ClientTlsSettings(mode, cert, key, ca, protocols, ciphers);
    }

    private static Path path(SectionReader r, String key) {
        String text = r.string(key, null);
        return text == null || text.isBlank() ? null : Path.of(text.trim());
    }
}
