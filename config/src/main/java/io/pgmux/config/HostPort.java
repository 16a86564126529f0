// A network address written as HOST:PORT in the configuration.
package io.pgmux.config;

import java.util.Objects;

/**
 * A host name or IP address plus a TCP port. Accepted text forms: {@code 127.0.0.1:6432}, {@code localhost:6432},
 * {@code [::1]:6432} (IPv6 literals need brackets), and {@code :6432} or {@code 6432} meaning {@code 127.0.0.1}.
 * Port {@code 0} is allowed and means "any free port" when listening, which is useful for tests.
 *
 * <p>{@link #host()} never carries brackets, so it can be passed straight to {@code InetSocketAddress};
 * {@link #toString()} adds them back for IPv6 literals so that the text can be parsed again.
 */
public record HostPort(String host, int port) {

    /** Host used when the text gives only a port: loopback, so nothing is exposed by accident. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final String FORMS = "HOST:PORT, [IPV6]:PORT or PORT";

    /** @throws IllegalArgumentException if the host is blank or the port is outside 0..65535 */
    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    /**
     * Parses one of the accepted text forms.
     *
     * @param where the key path, variable or flag that supplied the text; named in every error message
     * @throws ConfigException if the text is not a valid address
     */
    public static HostPort parse(String text, String where) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw ConfigException.at(where, "must be " + FORMS + ", got '" + (text == null ? "" : text) + "'");
        }
        if (trimmed.startsWith("[")) {
            return parseBracketed(trimmed, where);
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            if (trimmed.chars().allMatch(Character::isDigit)) {
                return new HostPort(DEFAULT_HOST, parsePort(trimmed, where));
            }
            throw ConfigException.at(where, "must be " + FORMS + ", got '" + trimmed + "'");
        }
        if (trimmed.indexOf(':') != colon) {
            throw ConfigException.at(where, "IPv6 addresses need brackets, e.g. [::1]:6432, got '" + trimmed + "'");
        }
        String host = trimmed.substring(0, colon);
        return new HostPort(checkHost(host.isEmpty() ? DEFAULT_HOST : host, trimmed, where),
                parsePort(trimmed.substring(colon + 1), where));
    }

    private static HostPort parseBracketed(String text, String where) {
        int close = text.indexOf(']');
        if (close < 0 || !text.startsWith(":", close + 1)) {
            throw ConfigException.at(where, "must be " + FORMS + ", got '" + text + "'");
        }
        String host = text.substring(1, close);
        if (host.isEmpty()) {
            throw ConfigException.at(where, "host must not be empty, got '" + text + "'");
        }
        return new HostPort(checkHost(host, text, where), parsePort(text.substring(close + 2), where));
    }

    private static String checkHost(String host, String text, String where) {
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '[' || c == ']')) {
            throw ConfigException.at(where, "invalid host in '" + text + "'");
        }
        return host;
    }

    private static int parsePort(String text, String where) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            throw ConfigException.at(where, "port must be an integer, got '" + text + "'");
        }
        return IntegerValues.parse(text, where + " port", 0, 65535);
    }

    /** {@code host:port}, with brackets around IPv6 literals ({@code [::1]:6432}). */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
