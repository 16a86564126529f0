// Client-facing TLS settings (client_tls_*).
package io.pgmux.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code client_tls_*} keys. File paths are as configured; their contents are read when the server starts
 * and again on a certificate reload, so a bad file is reported then rather than here.
 *
 * @param mode      {@code client_tls_sslmode}; {@link ClientTlsMode#DISABLE} unless set, or {@code prefer} when
 *                  only the key and certificate files are given
 * @param certFile  {@code client_tls_cert_file}: PEM certificate chain, server certificate first; null when TLS is off
 * @param keyFile   {@code client_tls_key_file}: PEM PKCS#8 private key (unencrypted); null when TLS is off
 * @param caFile    {@code client_tls_ca_file}: PEM CA certificates for client certificates, or null
 * @param protocols {@code client_tls_protocols}: enabled protocol versions, TLSv1.2 and/or TLSv1.3
 * @param ciphers   {@code client_tls_ciphers}: enabled cipher suites (JSSE names), empty for the JDK's defaults
 */
public record ClientTlsSettings(ClientTlsMode mode, Path certFile, Path keyFile, Path caFile, List<String> protocols,
        List<String> ciphers) {

    /** The protocol versions enabled unless configured: nothing older than TLS 1.2. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** @throws NullPointerException for a null mode or list */
    public ClientTlsSettings {
        Objects.requireNonNull(mode, "mode");
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }

    /** TLS off. */
    public static ClientTlsSettings disabled() {
        return new ClientTlsSettings(ClientTlsMode.DISABLE, null, null, null, DEFAULT_PROTOCOLS, List.of());
    }

    /** Whether clients can use TLS at all. */
    public boolean enabled() {
        return mode != ClientTlsMode.DISABLE;
    }
}
