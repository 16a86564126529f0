// Quick-start flags for client-facing TLS.
package io.pgmux.config;

/**
 * The {@code --client-tls-*} flags; every component is {@code null} when the flag was not given. Like
 * {@link QuickStartSettings}, they override the environment ({@code PGMUX_CLIENT_TLS_*}), which overrides the file.
 *
 * @param certFile {@code --client-tls-cert FILE}: sets {@code client_tls_cert_file}
 * @param keyFile  {@code --client-tls-key FILE}: sets {@code client_tls_key_file}
 * @param sslmode  {@code --client-tls-sslmode MODE}: sets {@code client_tls_sslmode}
 * @param caFile   {@code --client-tls-ca FILE}: sets {@code client_tls_ca_file}
 */
public record ClientTlsFlags(String certFile, String keyFile, String sslmode, String caFile) {

    /** No flags given. */
    public static ClientTlsFlags none() {
        return new ClientTlsFlags(null, null, null, null);
    }
}
