// Opens and logs in new backend connections within the server connect timeout.
package io.pgmux.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgmux.config.ServerTlsMode;
import io.pgmux.config.TcpKeepalive;
import io.pgmux.protocol.MessageFrameDecoder;
import io.pgmux.protocol.transport.Transport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Opens and logs in new backend connections over TCP, bounded by the server connect timeout. */
public final class ServerConnector implements BackendConnector {
    private final Transport transport;
    private final TcpKeepalive keepalive;
    private final Duration connectTimeout;
    private final int maxMessageLength;
    private final int maxParsedLength;
    private final ServerTls tls;

    public ServerConnector(Transport transport, Duration connectTimeout, int maxMessageLength) {
        this(transport, connectTimeout, maxMessageLength, maxMessageLength, ServerTls.disabled());
    }

    /**
     * With TLS towards the servers as {@code tls} says.
     *
     * @param maxMessageLength largest message a server may send (max_message_length)
     * @param maxParsedLength  largest message pgmux reads whole (max_parsed_message_length); a server message
     *                         beyond it that is not streamed (DataRow, CopyData, FunctionCallResponse) closes the
     *                         connection
     */
    public ServerConnector(Transport transport, Duration connectTimeout, int maxMessageLength, int maxParsedLength,
                           ServerTls tls) {
        this(transport, connectTimeout, maxMessageLength, maxParsedLength, tls, TcpKeepalive.defaults());
    }

    /** As above, with the keepalive settings of the backend sockets ({@code tcp_keepalive} and its timings). */
    public ServerConnector(Transport transport, Duration connectTimeout, int maxMessageLength, int maxParsedLength,
                           ServerTls tls, TcpKeepalive keepalive) {
        this.keepalive = keepalive;
        this.transport = transport;
        this.connectTimeout = connectTimeout;
        this.maxMessageLength = maxMessageLength;
        this.maxParsedLength = maxParsedLength;
        this.tls = tls;
    }

    @Override
    public Future<ServerConnection> connect(Pool pool, BackendTarget target, EventLoop loop) {
        Promise<ServerConnection> promise = loop.newPromise();
        Bootstrap bootstrap = KeepaliveOptions.apply(new Bootstrap(), transport, keepalive);
        ChannelFuture connected = bootstrap
                .group(loop)
                .channel(transport.socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls.mode() != ServerTlsMode.DISABLE) {
                            ch.pipeline().addLast("tls-request", new ServerTlsNegotiator(tls, target));
                        }
                        ch.pipeline().addLast("frames", MessageFrameDecoder.streamingBackend(maxMessageLength,
                                maxParsedLength));
                        ch.pipeline().addLast("login", new ServerLoginHandler(pool, target, tls, promise));
                    }
                })
                .connect(target.host(), target.port());
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(ServerFailures.unreachable(f.cause()));
            }
        });
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (promise.tryFailure(ServerFailures.loginTimedOut(connectTimeout))) {
                connected.channel().close();
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        promise.addListener(f -> timeout.cancel(false));
        return promise;
    }
}
