// application_name_add_host: the client's address appended to the application_name PostgreSQL sees.
package io.pgmux.server.session;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Appends {@code " - host:port"} to a client's application_name, as PgBouncer's application_name_add_host does, so
 * that pg_stat_activity and PostgreSQL's logs tell apart the clients behind one pgmux. A client that sent none is
 * named {@code app}, as in PgBouncer. Applied once at login, after the tenant was read from the name the client
 * itself chose (the appended address would otherwise make every client a tenant of its own).
 */
final class ApplicationNameHost {
    static final String PARAMETER = "application_name";
    /** PgBouncer's name for a client that sent no application_name. */
    static final String UNNAMED = "app";

    private ApplicationNameHost() {
    }

    static void apply(SessionParameters parameters, SocketAddress remote) {
        String name = parameters.values().get(PARAMETER);
        parameters.put(PARAMETER, (name == null ? UNNAMED : name) + " - " + describe(remote));
    }

    /** {@code host:port}, {@code [v6]:port}, or for a client without an IP address (a Unix socket) {@code unix}. */
    static String describe(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = NetUtil.toAddressString(inet.getAddress());
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return "unix";
    }
}
