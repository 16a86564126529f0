// Parses the hosts of a database: HOST, HOST:PORT or [IPV6]:PORT, the port defaulting to PostgreSQL's 5432.
package io.pgmux.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The addresses of a database's servers as written in {@code databases.NAME.hosts} and in a libpq multi-host URL.
 * Unlike a listen address, a backend address needs a host and a port of 1..65535; the port defaults to 5432. Stateless.
 */
final class BackendHosts {

    static final int DEFAULT_PORT = 5432;

    private BackendHosts() {
    }

    /**
     * Parses each item; the same address twice is a mistake (it would be tried twice in a row), and so is none.
     *
     * @throws ConfigException naming {@code where}
     */
    static List<HostPort> parse(List<String> items, String where) {
        if (items.isEmpty()) {
            throw ConfigException.at(where, "must name at least one host");
        }
        List<HostPort> hosts = new ArrayList<>(items.size());
        for (String item : items) {
            hosts.add(parseOne(item.trim(), where));
        }
        if (new LinkedHashSet<>(hosts).size() != hosts.size()) {
            throw ConfigException.at(where, "names the same host twice: " + hosts);
        }
        return List.copyOf(hosts);
    }

    /** One address, {@code HOST}, {@code HOST:PORT} or {@code [IPV6]:PORT}. */
    static HostPort parseOne(String text, String where) {
        if (text.isEmpty() || text.startsWith(":") || text.equals("[]")) {
            throw ConfigException.at(where, "must name a host, got '" + text + "'");
        }
        if (!text.startsWith("[") && text.indexOf(':') != text.lastIndexOf(':')) {
            throw ConfigException.at(where, "IPv6 addresses need brackets, e.g. [::1]:5432, got '" + text + "'");
        }
        boolean hasPort = text.startsWith("[") ? text.contains("]:") : text.indexOf(':') >= 0;
        if (hasPort) {
            // Checked here first so that the message states the backend range (1..65535), not the listen range.
            String portText = text.substring(text.lastIndexOf(':') + 1);
            if (!portText.isEmpty() && portText.chars().allMatch(Character::isDigit)) {
                IntegerValues.parse(portText, where + " port", 1, 65535);
            }
        }
        return HostPort.parse(hasPort ? text : text + ":" + DEFAULT_PORT, where);
    }
}
