// Whether a PostgreSQL server accepts writes (a primary) or is in recovery (a standby).
package io.pgmux.pool;

import io.pgmux.config.TargetSessionAttrs;
import java.util.Map;

/** The role of a server, as a login to it reveals it; the words are those SHOW HOSTS and the metrics use. */
public enum ServerRole {
    /** Not in recovery: accepts writes. */
    PRIMARY("primary"),
    /** In recovery (hot standby): read-only. */
    STANDBY("standby"),
    /** Not known yet: no login has succeeded on the host. */
    UNKNOWN("unknown");

    /** The ParameterStatus PostgreSQL 14 and later report at login and again when a standby is promoted. */
    static final String IN_HOT_STANDBY = "in_hot_standby";

    private final String text;

    ServerRole(String text) {
        this.text = text;
    }

    /** The role the reported parameters say, or null when the server does not report in_hot_standby (before 14). */
    static ServerRole fromReported(Map<String, String> reported) {
        String value = reported.get(IN_HOT_STANDBY);
        if (value == null) {
            return null;
        }
        return "on".equalsIgnoreCase(value) ? STANDBY : PRIMARY;
    }

    /** True when a backend of this role may serve a pool with these attributes (an unknown role only {@code any}). */
    boolean serves(TargetSessionAttrs attrs) {
        return switch (this) {
            case PRIMARY -> attrs.acceptsPrimary();
            case STANDBY -> attrs.acceptsStandby();
            case UNKNOWN -> attrs == TargetSessionAttrs.ANY;
        };
    }

    /** The lower-case word shown to operators. */
    public String text() {
        return text;
    }
}
