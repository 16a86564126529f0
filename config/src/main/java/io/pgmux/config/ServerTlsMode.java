// How pgmux uses TLS to PostgreSQL (server_tls_sslmode), as libpq's sslmode.
package io.pgmux.config;

/**
 * Backend TLS policy, with libpq's meanings:
 * <ul>
 *   <li>{@link #DISABLE}: plain text.</li>
 *   <li>{@link #PREFER}: TLS if the server offers it, without checking its certificate; plain text otherwise.</li>
 *   <li>{@link #REQUIRE}: TLS or no connection; the certificate is not checked.</li>
 *   <li>{@link #VERIFY_CA}: TLS with a certificate signed by {@code server_tls_ca_file} (or the JDK's trusted CAs).</li>
 *   <li>{@link #VERIFY_FULL}: as verify-ca, and the certificate must name the database's host.</li>
 * </ul>
 * Hazard: prefer and require do not stop an active man in the middle; use verify-full where that matters.
 */
public enum ServerTlsMode {
    DISABLE("disable"),
    PREFER("prefer"),
    REQUIRE("require"),
    VERIFY_CA("verify-ca"),
    VERIFY_FULL("verify-full");

    private final String configName;

    ServerTlsMode(String configName) {
        this.configName = configName;
    }

    /** Parses a configuration name, ignoring case; {@code where} names the key in errors. */
    public static ServerTlsMode parse(String text, String where) {
        return ConfigNames.parse(values(), ServerTlsMode::configName, text, where);
    }

    public String configName() {
        return configName;
    }

    /** Whether a server that refuses TLS must be refused. */
    public boolean requiresTls() {
        return compareTo(REQUIRE) >= 0;
    }

    /** Whether the server's certificate chain is checked. */
    public boolean verifiesCertificate() {
        return compareTo(VERIFY_CA) >= 0;
    }
}
