// Builds the pipeline of a WebSocket client connection: TLS, the WebSocket handshake and frames, then the session.
package io.pgmux.server.transport.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.pgmux.server.clients.ClientTransport;
import io.pgmux.server.login.ClientChannelInitializer;
import io.pgmux.server.login.ClientTls;

/**
 * The pipeline of a connection to {@code websocket_listen}:
 * <pre>
 * [tls] → http codec → handshake aggregator → WebSocket protocol → PostgresFrames → the client handlers of a TCP client
 * </pre>
 * The client handlers come from {@link ClientChannelInitializer#addProtocolHandlers}, the one place that builds them,
 * so a WebSocket client has the TCP client's admission, login timeout, authentication, pooling, pinning, metrics and
 * limits. They are in place from the start: the connection counts against {@code max_client_conn}, and the WebSocket
 * handshake against {@code client_login_timeout}, from the moment it is accepted.
 *
 * <p>Any request path is accepted (drivers put the target in it, as {@code /v2?address=host:port}, which pgmux
 * ignores: the database comes from the startup packet). With client TLS configured, every connection uses TLS
 * ({@code wss://}); the session then sees an {@code SslHandler} as on a TLS socket, so {@code client_tls_sslmode}
 * {@code require} is met and SCRAM channel binding uses the WebSocket's certificate.
 */
public final class WebSocketChannelInitializer extends ChannelInitializer<Channel> {
    /** Handshake requests carry no body; their headers are bounded by the HTTP codec. */
    private static final int MAX_HANDSHAKE_CONTENT = 8192;

    private final ClientChannelInitializer clientHandlers;
    private final ClientTls tls;
    private final int maxFramePayload;

    /**
     * @param maxFramePayload largest frame accepted ({@code websocket_max_frame_size}); a larger one closes the
     *                        connection with 1009 (message too big)
     */
    public WebSocketChannelInitializer(ClientChannelInitializer clientHandlers, ClientTls tls, int maxFramePayload) {
        this.clientHandlers = clientHandlers;
        this.tls = tls;
        this.maxFramePayload = maxFramePayload;
    }

    @Override
    protected void initChannel(Channel ch) {
        ClientTransport.WEBSOCKET.mark(ch);
        if (tls.enabled()) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
        }
        ch.pipeline().addLast("http", new HttpServerCodec());
        ch.pipeline().addLast("handshake", new HttpObjectAggregator(MAX_HANDSHAKE_CONTENT));
        ch.pipeline().addLast("websocket", new WebSocketServerProtocolHandler(protocolConfig(maxFramePayload)));
        ch.pipeline().addLast("postgres-frames", new PostgresFrames());
        clientHandlers.addProtocolHandlers(ch, false);
    }

    static WebSocketServerProtocolConfig protocolConfig(int maxFramePayload) {
        return WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFramePayload)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        .build())
                .build();
    }
}
