// Delivers CancelRequests to PostgreSQL for the queries running on pgmux's backends.
package io.pgmux.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.pgmux.config.ServerTlsMode;
import io.pgmux.protocol.BackendKeyData;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.transport.Transport;
import java.time.Duration;

/**
 * Delivers a CancelRequest to PostgreSQL on a new connection, with the backend's real key, as libpq does. The
 * connection goes where the backend was opened (not where a reload has since pointed its pool) and with the TLS
 * settings it was opened with: an SSLRequest first unless server TLS is off, as libpq 17 does for cancels, so the
 * key does not cross the network in clear when the backend's own connection is encrypted. Thread-safe.
 */
public final class CancelForwarder {
    private final Transport transport;
    private final Duration connectTimeout;

    /** @param connectTimeout how long connecting may take (server_connect_timeout); the cancel is dropped after */
    public CancelForwarder(Transport transport, Duration connectTimeout) {
        this.transport = transport;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Sends a CancelRequest for the query running on {@code server}, from {@code loop}. Nothing without a key (the
     * backend sent no BackendKeyData). PostgreSQL answers nothing; a cancel that cannot be delivered is dropped,
     * as libpq's is.
     */
    public void cancel(EventLoop loop, ServerConnection server) {
        BackendKeyData key = server.backendKey();
        if (key == null) {
            return;
        }
        BackendTarget target = server.target();
        ServerTls tls = server.tls();
        new Bootstrap().group(loop).channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls.mode() != ServerTlsMode.DISABLE) {
                            // Holds back channelActive until TLS is up, or refused where the mode allows plain text.
                            ch.pipeline().addLast("tls-request", new ServerTlsNegotiator(tls, target));
                        }
                        ch.pipeline().addLast("cancel", new CancelRequestWriter(key));
                    }
                })
                .connect(target.host(), target.port());
    }

    /** Writes the CancelRequest once the connection is ready, then waits for PostgreSQL to close it. */
    private static final class CancelRequestWriter extends ChannelInboundHandlerAdapter {
        private final BackendKeyData key;

        CancelRequestWriter(BackendKeyData key) {
            this.key = key;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(FrontendMessages.cancelRequest(ctx.alloc(), key.processId(), key.secretKey()));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // PostgreSQL sends nothing after a CancelRequest
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // refused TLS, a reset: the cancel is lost, as libpq's would be
        }
    }
}
