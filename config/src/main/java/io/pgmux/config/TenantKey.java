// What names the tenant a client belongs to, for fair queueing between the tenants of one pool.
package io.pgmux.config;

import java.util.Locale;

/** The values of {@code pool.tenant_key}. */
public enum TenantKey {
    /** {@code application_name}: the client's startup application_name (absent: the empty name). */
    APPLICATION_NAME("application_name"),
    /** {@code user}: the role the client logged in as. */
    USER("user"),
    /** {@code option}: the startup option {@code -c pgmux.tenant=NAME} (absent: the empty name). */
    OPTION("option"),
    /** {@code address}: the client's IP address, without the port. */
    ADDRESS("address");

    private final String configName;

    TenantKey(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    static TenantKey parse(String text, String where) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (TenantKey key : values()) {
            if (key.configName.equals(wanted)) {
                return key;
            }
        }
        throw ConfigException.at(where, "must be application_name, user, option or address, got '" + text + "'");
    }
}
