// Opens backends to a FakeBackend through the real login and relay handlers.
package io.pgmux.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.MessageFrameDecoder;

/**
 * A {@link BackendConnector} to an in-process address: the pipeline is the production one (frame decoder,
 * {@link ServerLoginHandler}, then {@link ServerRelayHandler}), only the transport differs. An address nobody
 * listens on fails the connect, as a refused TCP connection does.
 */
final class FakeConnector implements BackendConnector {
    private final LocalAddress address;

    FakeConnector(LocalAddress address) {
        this.address = address;
    }

    /** A connector whose every connect is refused. */
    static FakeConnector unreachable() {
        return new FakeConnector(new LocalAddress("nobody-listens-here"));
    }

    @Override
    public Future<ServerConnection> connect(Pool pool, BackendTarget target, EventLoop loop) {
        Promise<ServerConnection> promise = loop.newPromise();
        new Bootstrap().group(loop).channel(LocalChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frames", MessageFrameDecoder.streamingBackend(1 << 20, 1 << 20));
                        ch.pipeline().addLast("login", new ServerLoginHandler(pool, target, ServerTls.disabled(), promise));
                    }
                })
                .connect(address)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        promise.tryFailure(ServerFailures.unreachable(f.cause()));
                    }
                });
        return promise;
    }
}
