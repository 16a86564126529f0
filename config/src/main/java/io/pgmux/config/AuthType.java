// How clients authenticate to pgmux.
package io.pgmux.config;

/**
 * Client authentication method, written in the configuration as {@code trust}, {@code md5} or {@code scram-sha-256}.
 * <p>Hazard: {@link #TRUST} lets anyone who can reach the listen address in as any configured database; use it only
 * on a loopback or otherwise protected listener.
 */
public enum AuthType {
    TRUST("trust"),
    MD5("md5"),
    SCRAM_SHA_256("scram-sha-256");

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
