// How a client's PostgreSQL protocol reaches pgmux: a TCP connection of its own, or tunnelled in a WebSocket.
package io.pgmux.server.clients;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The carrier of a client connection's PostgreSQL protocol, recorded on its channel when the channel is created.
 * The session does not care, except at the two points where the carrier decides: an SSLRequest inside a WebSocket
 * is refused ({@code N}), since TLS belongs to the WebSocket's own connection ({@code wss://}).
 */
public enum ClientTransport {
    /** The PostgreSQL protocol straight on a TCP connection ({@code listen}). */
    TCP,
    /** The PostgreSQL protocol in the binary frames of a WebSocket ({@code websocket_listen}). */
    WEBSOCKET;

    private static final AttributeKey<ClientTransport> KEY = AttributeKey.valueOf("pgmux.clientTransport");

    /** The carrier recorded on {@code channel}; {@link #TCP} when none was. */
    public static ClientTransport of(Channel channel) {
        ClientTransport recorded = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        return recorded == null ? TCP : recorded;
    }

    /** Records this carrier on a new channel. */
    public void mark(Channel channel) {
        channel.attr(KEY).set(this);
    }
}
