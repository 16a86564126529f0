// The PgBouncer settings that only mean something together: the listen address and the authentication method.
package io.pgmux.config.pgbouncer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns listen_addr, listen_port and unix_socket_dir into pgmux's {@code listen} addresses and Unix socket, and
 * auth_type, auth_hba_file and auth_file into pgmux's authentication keys. Also writes out the PgBouncer defaults
 * that differ from pgmux's (pool_mode session, max_client_conn 100, the socket in /tmp, and PgBouncer's auth_query
 * where an auth_user is set), so that an ini file that leaves them out behaves as it did.
 */
final class ListenAndAuth {

    private static final int PGBOUNCER_DEFAULT_PORT = 6432;
    private static final int PGBOUNCER_DEFAULT_MAX_CLIENT_CONN = 100;
    private static final String PGBOUNCER_DEFAULT_SOCKET_DIR = "/tmp";
    /** Unlike pgmux's pg_shadow query, it gives no password for a role whose password has expired. */
    private static final String PGBOUNCER_DEFAULT_AUTH_QUERY = "SELECT rolname, CASE WHEN rolvaliduntil < now() THEN NULL "
            + "ELSE rolpassword END FROM pg_authid WHERE rolname=$1 AND rolcanlogin";

    private ListenAndAuth() {
    }

    /** @param general the [pgbouncer] entries by lower-case key, the last of each */
    static void apply(Map<String, IniEntry> general, ConversionTarget out) {
        listen(general.get("listen_addr"), general.get("listen_port"), out);
        unixSocket(general.get("unix_socket_dir"), out);
        auth(general.get("auth_type"), general.get("auth_hba_file"), general.get("auth_file"), out);
        if (!out.has("pool", "mode")) {
            out.in("pool", "mode", "session");
        }
        if (!out.has("pool", "max_client_conn")) {
            out.in("pool", "max_client_conn", PGBOUNCER_DEFAULT_MAX_CLIENT_CONN);
        }
        // Only where a lookup can happen: a file without auth_user would carry a query that is never run.
        boolean looksUp = out.hasTop("auth_user") || out.anyEntryHas("databases", "auth_user");
        if (looksUp && !out.hasTop("auth_query")) {
            out.top("auth_query", PGBOUNCER_DEFAULT_AUTH_QUERY);
        }
    }

    private static void listen(IniEntry addr, IniEntry portEntry, ConversionTarget out) {
        Integer port = portEntry == null ? Integer.valueOf(PGBOUNCER_DEFAULT_PORT)
                : IniValues.integer(portEntry, 1, out);
        if (port == null) {
            return;
        }
        if (port > 65535) {
            out.error(portEntry, "must be 1..65535, got " + port);
            return;
        }
        List<String> addresses = addr == null ? List.of() : IniValues.list(addr.value());
        if (addresses.isEmpty()) {
            out.warn("listen_addr is not set: PgBouncer would accept Unix socket connections only; pgmux always "
                    + "listens on TCP too, on 127.0.0.1:" + port);
            out.top("listen", "127.0.0.1:" + port);
            return;
        }
        List<String> listen = new ArrayList<>();
        for (String address : addresses) {
            // The JVM's :: socket is dual-stack and would collide with 0.0.0.0 on the same port, so * is IPv4's.
            if (address.equals("*")) {
                out.note(addr, "* (every address) becomes 0.0.0.0; add [::] separately for IPv6 clients");
            }
            String host = address.equals("*") ? "0.0.0.0" : address;
            String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            if (!listen.contains(hostPort)) {
                listen.add(hostPort);
            }
        }
        out.top("listen", listen.size() == 1 ? listen.get(0) : listen);
    }

    /**
     * The Unix socket: PgBouncer's unix_socket_dir, whose default /tmp is written out when the file leaves it out
     * (as PgBouncer creates its socket there); an empty value turns the socket off in both.
     */
    private static void unixSocket(IniEntry dir, ConversionTarget out) {
        if (dir == null) {
            out.top("unix_socket_dir", PGBOUNCER_DEFAULT_SOCKET_DIR);
        } else if (dir.value().strip().startsWith("@")) {
            out.warn(dir.where() + ": unix_socket_dir: sockets in the abstract namespace are not supported; "
                    + "no Unix socket");
        } else if (!dir.value().isBlank()) {
            out.top("unix_socket_dir", dir.value().strip());
        }
    }

    private static void auth(IniEntry type, IniEntry hbaFile, IniEntry authFile, ConversionTarget out) {
        String method = type == null ? "md5" : type.value().strip().toLowerCase(Locale.ROOT);
        switch (method) {
            case "md5", "trust", "scram-sha-256" -> out.top("auth_type", method);
            case "plain" -> {
                out.top("auth_type", "password");
                out.top("auth_cleartext_without_tls", true);
                out.note(type, "plain becomes password, allowed without TLS as in PgBouncer");
            }
            case "any" -> {
                out.top("auth_type", "trust");
                out.warn(type.where() + ": auth_type = any becomes trust: clients still give a user name, which "
                        + "pgmux keeps as given");
            }
            case "hba" -> {
                if (hbaFile == null || hbaFile.value().isBlank()) {
                    out.error(type, "hba needs auth_hba_file");
                } else {
                    out.top("auth_hba_file", IniValues.path(hbaFile));
                }
            }
            case "cert", "ldap", "pam" -> out.error(type, method + " authentication is not supported by pgmux");
            default -> out.error(type, "unknown method '" + type.value() + "'");
        }
        if (hbaFile != null && !"hba".equals(method) && !hbaFile.value().isBlank()) {
            out.warn(hbaFile, "PgBouncer reads it only when auth_type = hba");
        }
        if (authFile != null && !authFile.value().isBlank()) {
            out.top("auth_file", IniValues.path(authFile));
        }
    }
}
