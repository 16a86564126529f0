// Parses the quick-start backend URL postgresql://USER:PASSWORD@HOST:PORT/DB.
package io.pgmux.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed {@code --backend} / {@code PGMUX_BACKEND} URL: {@code postgresql://USER:PASSWORD@HOST:PORT/DB}
 * (or {@code postgres://}). The port defaults to 5432, the password may be omitted, and user, password and database
 * are percent-decoded ({@code +} stays a plus sign). Query parameters are rejected rather than silently ignored,
 * because settings such as {@code sslmode} would otherwise appear to work. As in libpq, several hosts may be given,
 * separated by commas ({@code postgresql://u:p@h1:5432,h2:5432/db}), each with its own port or the default.
 *
 * <p>Hazard: holds a password; {@link #toString()} masks it and error messages never include it.
 *
 * @param user     backend (and client) user name, never empty
 * @param password password, or {@code null} when the URL has none
 * @param host     host name or IP address, without IPv6 brackets
 * @param port     1..65535
 * @param database database name, never empty
 * @param hosts    every host in the order written, the first being {@code host:port}; {@code null} in the
 *                 constructor means that one alone
 */
public record BackendUrl(String user, String password, String host, int port, String database,
                         List<HostPort> hosts) {

    /** The expected form, used in error messages. */
    public static final String FORM = "postgresql://USER:PASSWORD@HOST:PORT/DB";
    private static final int DEFAULT_PORT = 5432;

    /** @throws NullPointerException for a null user, host or database */
    public BackendUrl {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        hosts = hosts == null ? List.of(new HostPort(host, port)) : List.copyOf(hosts);
    }

    /** A URL with one host. */
    public BackendUrl(String user, String password, String host, int port, String database) {
        this(user, password, host, port, database, null);
    }

    /**
     * Parses {@code url}.
     *
     * @param where the flag or variable that supplied the URL, named in every error message
     * @throws ConfigException if the URL is not of the expected form; the message never contains the password
     */
    public static BackendUrl parse(String url, String where) {
        String rest = stripScheme(url == null ? "" : url.trim(), where);
        // The last '@' ends the credentials: host names cannot contain '@', passwords might.
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            throw ConfigException.at(where, "must include a user, expected " + FORM);
        }
        String userInfo = rest.substring(0, at);
        String location = rest.substring(at + 1);
        if (location.indexOf('?') >= 0 || location.indexOf('#') >= 0) {
            throw ConfigException.at(where, "query parameters are not supported, expected " + FORM);
        }
        int slash = location.indexOf('/');
        if (slash < 0 || slash == location.length() - 1) {
            throw ConfigException.at(where, "must name a database, expected " + FORM);
        }
        String database = PercentDecoding.decode(location.substring(slash + 1), where, "database");
        if (database.indexOf('/') >= 0) {
            throw ConfigException.at(where, "database name must not contain '/', expected " + FORM);
        }
        List<HostPort> hosts = parseHosts(location.substring(0, slash), where);
        HostPort hostPort = hosts.get(0);
        int colon = userInfo.indexOf(':');
        String user = PercentDecoding.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), where, "user");
        if (user.isEmpty()) {
            throw ConfigException.at(where, "must include a user, expected " + FORM);
        }
        String password = colon < 0 ? null : PercentDecoding.decode(userInfo.substring(colon + 1), where, "password");
        return new BackendUrl(user, password == null || password.isEmpty() ? null : password,
                hostPort.host(), hostPort.port(), database, hosts);
    }

    private static String stripScheme(String url, String where) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"postgresql://", "postgres://"}) {
            if (lower.startsWith(scheme)) {
                return url.substring(scheme.length());
            }
        }
        throw ConfigException.at(where, "must start with postgresql:// or postgres://, expected " + FORM);
    }

    private static List<HostPort> parseHosts(String text, String where) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw ConfigException.at(where, "must name a host, expected " + FORM);
            }
            items.add(item);
        }
        return BackendHosts.parse(items, where);
    }

    /** The URL with the password replaced by {@code ***}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("postgresql://").append(user)
                .append(password == null ? "" : ":***").append('@');
        for (int i = 0; i < hosts.size(); i++) {
            text.append(i == 0 ? "" : ",").append(hosts.get(i));
        }
        return text.append('/').append(database).toString();
    }
}
