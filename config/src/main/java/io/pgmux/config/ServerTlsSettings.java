// Backend TLS settings (server_tls_*).
package io.pgmux.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code server_tls_*} keys: how pgmux secures its connections to PostgreSQL.
 *
 * @param mode      {@code server_tls_sslmode}, default {@link ServerTlsMode#PREFER} as in libpq and PgBouncer
 * @param caFile    {@code server_tls_ca_file}: PEM CAs for verify-ca/verify-full; null for the JDK's trusted CAs
 * @param certFile  {@code server_tls_cert_file}: PEM client certificate to present, or null
 * @param keyFile   {@code server_tls_key_file}: its PKCS#8 PEM key, or null
 * @param protocols {@code server_tls_protocols}: TLSv1.2 and/or TLSv1.3
 */
public record ServerTlsSettings(ServerTlsMode mode, Path caFile, Path certFile, Path keyFile, List<String> protocols) {

    /** @throws NullPointerException for a null mode or list */
    public ServerTlsSettings {
        Objects.requireNonNull(mode, "mode");
        protocols = List.copyOf(protocols);
    }

    /** The defaults: prefer, nothing else configured. */
    public static ServerTlsSettings defaults() {
        return new ServerTlsSettings(ServerTlsMode.PREFER, null, null, null, ClientTlsSettings.DEFAULT_PROTOCOLS);
    }
}
