// How pgmux treats TLS from clients (client_tls_sslmode).
package io.pgmux.config;

/**
 * Client-facing TLS policy, written as in libpq and PgBouncer. Constants map to what pgmux does with a client:
 * <ul>
 *   <li>{@link #DISABLE}: SSLRequest is answered {@code N}; everything is plain text.</li>
 *   <li>{@link #ALLOW}, {@link #PREFER}: TLS when the client asks for it, plain text otherwise.</li>
 *   <li>{@link #REQUIRE}: a client that logs in without TLS is refused (SQLSTATE 28000).</li>
 *   <li>{@link #VERIFY_CA}: as require, and the client must present a certificate signed by the CA file.</li>
 *   <li>{@link #VERIFY_FULL}: as verify-ca, and the certificate's common name must equal the user name.</li>
 * </ul>
 */
public enum ClientTlsMode {
    DISABLE("disable"),
    ALLOW("allow"),
    PREFER("prefer"),
    REQUIRE("require"),
    VERIFY_CA("verify-ca"),
    VERIFY_FULL("verify-full");

    private final String configName;

    ClientTlsMode(String configName) {
        this.configName = configName;
    }

    /** Parses a configuration name, ignoring case; {@code where} names the key, variable or flag in errors. */
    public static ClientTlsMode parse(String text, String where) {
        return ConfigNames.parse(values(), ClientTlsMode::configName, text, where);
    }

    /** The name used in configuration files, e.g. {@code "verify-full"}. */
    public String configName() {
        return configName;
    }

    /** Whether a client must be on TLS before it may log in. */
    public boolean requiresTls() {
        return compareTo(REQUIRE) >= 0;
    }

    /** Whether a client must present a certificate signed by the configured CA. */
    public boolean requiresClientCertificate() {
        return compareTo(VERIFY_CA) >= 0;
    }
}
