// How a client's PostgreSQL protocol reaches pgmux: a TCP connection, a Unix socket, or tunnelled in a WebSocket.
package io.pgmux.server.clients;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The carrier of a client connection's PostgreSQL protocol, recorded on its channel when the channel is created.
 * The session does not care, except at the points where the carrier decides: an SSLRequest inside a WebSocket
 * is refused ({@code N}), since TLS belongs to the WebSocket's own connection ({@code wss://}), and so is one on a Unix
 * socket, as PostgreSQL does; a Unix socket client matches {@code local} hba lines and is named {@code [local]}.
 */
public enum ClientTransport {
    /** The PostgreSQL protocol straight on a TCP connection ({@code listen}). */
    TCP,
    /** The PostgreSQL protocol in the binary frames of a WebSocket ({@code websocket_listen}). */
    WEBSOCKET,
    /**
     * The PostgreSQL protocol on a Unix domain socket ({@code unix_socket_dir}): a client on the same machine, with
     * no IP address; PostgreSQL's {@code local} connections.
     */
    UNIX_SOCKET;

    private static final AttributeKey<ClientTransport> KEY = AttributeKey.valueOf("pgmux.clientTransport");

    /** The carrier recorded on {@code channel}; {@link #TCP} when none was. */
    public static ClientTransport of(Channel channel) {
        ClientTransport recorded = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        return recorded == null ? TCP : recorded;
    }

    /** Whether {@code channel} is a client of the Unix socket. */
    public static boolean isUnixSocket(Channel channel) {
        return of(channel) == UNIX_SOCKET;
    }

    /** Records this carrier on a new channel. */
    public void mark(Channel channel) {
        channel.attr(KEY).set(this);
    }
}
