// How clients authenticate to pgmux.
package io.pgmux.config;

/**
 * Client authentication method, written in the configuration as {@code trust}, {@code md5}, {@code scram-sha-256},
 * {@code password} or {@code reject} (the last only in {@code auth_hba_file} rules).
 * <p>Hazard: {@link #TRUST} lets anyone who can reach the listen address in as any configured database; use it only
 * on a loopback or otherwise protected listener. {@link #PASSWORD} sends the password in clear, so pgmux offers it
 * only on TLS connections unless {@code auth_cleartext_without_tls} is set.
 */
public enum AuthType {
    /** No password asked. */
    TRUST("trust"),
    /** MD5 challenge; a user whose secret is a SCRAM secret gets SCRAM instead, as PostgreSQL does. */
    MD5("md5"),
    /** SCRAM-SHA-256, and SCRAM-SHA-256-PLUS on TLS connections. */
    SCRAM_SHA_256("scram-sha-256"),
    /** AuthenticationCleartextPassword; checked against a plain password, md5 hash or SCRAM secret. */
    PASSWORD("password"),
    /** Always refused (SQLSTATE 28000); only in auth_hba_file rules. */
    REJECT("reject");

    private final String configName;

    AuthType(String configName) {
        this.configName = configName;
    }

    /** Parses a configuration name, ignoring case; the error message lists the allowed values. */
    public static AuthType parse(String text) {
        return parse(text, null);
    }

    /** Like {@link #parse(String)}, but the error message starts with {@code where} (a key path, variable or flag). */
    public static AuthType parse(String text, String where) {
        return ConfigNames.parse(values(), AuthType::configName, text, where);
    }

    /** The name used in configuration files: {@code "trust"}, {@code "md5"} or {@code "scram-sha-256"}. */
    public String configName() {
        return configName;
    }
}
