// Which kind of server a database's backends may be opened on, as libpq's target_session_attrs says.
package io.pgmux.config;

import java.util.Locale;

/**
 * The {@code target_session_attrs} of a database, with libpq's meaning: which of its hosts a backend may be opened
 * on, given each host's role. A primary accepts writes; a standby (a server in recovery, {@code in_hot_standby} on)
 * does not. pgmux learns the role of a host when it logs in to it, so it never needs the
 * {@code default_transaction_read_only} distinction libpq draws between {@code read-write} and {@code primary}: on
 * a primary both are satisfied, on a standby neither.
 */
public enum TargetSessionAttrs {
    /** Any host (the default): the first that accepts a login. */
    ANY("any"),
    /** A primary only: the server must accept writes. */
    READ_WRITE("read-write"),
    /** A standby only, as libpq's {@code read-only} on a server whose transactions are read-only by recovery. */
    READ_ONLY("read-only"),
    /** A primary only. */
    PRIMARY("primary"),
    /** A standby only. */
    STANDBY("standby"),
    /** A standby when one is up, else the primary: reads keep working when every standby is gone. */
    PREFER_STANDBY("prefer-standby");

    private final String text;

    TargetSessionAttrs(String text) {
        this.text = text;
    }

    /** True when a backend on a primary serves this database. */
    public boolean acceptsPrimary() {
        return this != STANDBY && this != READ_ONLY;
    }

    /** True when a backend on a standby serves this database. */
    public boolean acceptsStandby() {
        return this != READ_WRITE && this != PRIMARY;
    }

    /** True when a standby is wanted first and a primary only when no standby can be had. */
    public boolean prefersStandby() {
        return this == PREFER_STANDBY;
    }

    /** The spelling in the configuration and in libpq, e.g. {@code read-write}. */
    public String text() {
        return text;
    }

    /**
     * Parses libpq's spelling, case-insensitively; an underscore is accepted for the hyphen.
     *
     * @throws ConfigException naming {@code where} for anything else
     */
    public static TargetSessionAttrs parse(String value, String where) {
        String wanted = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (TargetSessionAttrs attrs : values()) {
            if (attrs.text.equals(wanted)) {
                return attrs;
            }
        }
        throw ConfigException.at(where, "must be one of any, read-write, read-only, primary, standby, "
                + "prefer-standby, got '" + value + "'");
    }

    @Override
    public String toString() {
        return text;
    }
}
