// How a transaction- or statement-mode pool serves clients that LISTEN (`pool.listen`).
package io.pgmux.config;

import java.util.Locale;

/**
 * The LISTEN policy, written in the configuration as {@code fan-out} or {@code pin}.
 * <ul>
 *   <li>{@link #FAN_OUT}: pgmux answers LISTEN and UNLISTEN itself and keeps one listening server connection per
 *       pool, subscribed to the channels of all its clients, whose notifications it hands to each subscriber; a
 *       listening client shares server connections like any other.</li>
 *   <li>{@link #PIN}: LISTEN goes to the client's server connection, which stays pinned to it until UNLISTEN (the
 *       behaviour before fan-out existed).</li>
 * </ul>
 * Only meaningful outside session pooling, where a client owns its connection anyway.
 */
public enum ListenMode {
    FAN_OUT,
    PIN;

    /**
     * Parses a configuration name, ignoring case.
     *
     * @throws ConfigException listing the allowed values, e.g. {@code "must be one of fan-out, pin, got 'x'"}
     */
    public static ListenMode parse(String text, String where) {
        return ConfigNames.parse(values(), ListenMode::configName, text, where);
    }

    /** The name used in configuration files: {@code "fan-out"} or {@code "pin"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
