// Which Netty network transport the server uses.
package io.pgmux.config;

import java.util.Locale;

/**
 * Network transport, written in the configuration as {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}.
 * {@link #AUTO} picks the best one available on the running platform; naming a specific native transport that is not
 * available is an error reported by the server at start-up, not by the configuration loader.
 */
public enum TransportType {
    AUTO,
    IO_URING,
    EPOLL,
    NIO;

    /** Parses a configuration name, ignoring case; the error message lists the allowed values. */
    public static TransportType parse(String text) {
        return parse(text, null);
    }

    /** Like {@link #parse(String)}, but the error message starts with {@code where} (a key path, variable or flag). */
    public static TransportType parse(String text, String where) {
        return ConfigNames.parse(values(), TransportType::configName, text, where);
    }

    /** The name used in configuration files: {@code "auto"}, {@code "io_uring"}, {@code "epoll"} or {@code "nio"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
