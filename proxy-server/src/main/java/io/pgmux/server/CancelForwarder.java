package io.pgmux.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.pgmux.pool.BackendTarget;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.Transport;
import io.pgmux.protocol.BackendKeyData;
import io.pgmux.protocol.FrontendMessages;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Delivers a CancelRequest to PostgreSQL on a new connection, with the backend's real key, as libpq does. */
final class CancelForwarder {
    private final Transport transport;

    CancelForwarder(Transport transport) {
        this.transport = transport;
    }

    /**
     * Sends a CancelRequest for the query running on {@code server} to the address that backend was opened against:
     * after a reload moved the database, the pool's current target is another server, which does not know the key.
     * Nothing without a key (the backend sent no BackendKeyData).
     */
    void cancel(EventLoop loop, ServerConnection server) {
        BackendKeyData key = server.backendKey();
        if (key == null) {
            return;
        }
        BackendTarget target = server.target();
        new Bootstrap().group(loop).channel(transport.socketChannelClass())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
                    }
                })
                .connect(target.host(), target.port())
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        // PostgreSQL answers nothing; it closes the connection after reading the request.
                        f.channel().writeAndFlush(FrontendMessages.cancelRequest(f.channel().alloc(),
                                key.processId(), key.secretKey()));
                    }
                });
    }
}
