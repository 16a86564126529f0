// What a transaction- or statement-mode pool does when a client creates session state that cannot follow it.
package io.pgmux.config;

import java.util.Locale;

/**
 * The pinning policy, written in the configuration as {@code pin} or {@code refuse}.
 * <ul>
 *   <li>{@link #PIN}: the client keeps its server connection (is pinned to it) until the state is gone or the client
 *       leaves; correct, but that connection is no longer shared.</li>
 *   <li>{@link #REFUSE}: the statement that would create such state gets an error, so connections stay shared; use
 *       it when the application is known not to need session state.</li>
 * </ul>
 * Only meaningful outside session pooling, where a client owns its connection anyway.
 */
public enum PinningPolicy {
    PIN,
    REFUSE;

    /**
     * Parses a configuration name, ignoring case.
     *
     * @throws ConfigException listing the allowed values, e.g. {@code "must be one of pin, refuse, got 'x'"}
     */
    public static PinningPolicy parse(String text) {
        return parse(text, null);
    }

    /** Like {@link #parse(String)}, but the error message starts with {@code where} (a key path, variable or flag). */
    public static PinningPolicy parse(String text, String where) {
        return ConfigNames.parse(values(), PinningPolicy::configName, text, where);
    }

    /** The name used in configuration files: {@code "pin"} or {@code "refuse"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
