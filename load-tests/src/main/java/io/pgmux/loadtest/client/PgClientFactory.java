// Opens PgClient connections on a small shared Netty event loop group, so thousands need no thread each.
package io.pgmux.loadtest.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.pgmux.protocol.MessageFrameDecoder;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Owns the event loop group every client it connects runs on; {@link #close()} closes them all. One loop thread
 * handles thousands of connections, so {@code threads} around the number of cores is plenty.
 */
public final class PgClientFactory implements AutoCloseable {
    /** Larger backend messages are refused: a load-test client never needs more. */
    private static final int MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final long loginTimeoutMillis;

    /** A factory with {@code threads} event loops and 30 s connect and login timeouts. */
    public PgClientFactory(int threads) {
        this(threads, DEFAULT_TIMEOUT);
    }

    /** A factory whose TCP connect and whose login each time out after {@code timeout}. */
    public PgClientFactory(int threads, Duration timeout) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.loginTimeoutMillis = Math.max(1, timeout.toMillis());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, loginTimeoutMillis));
    }

    /**
     * Connects, authenticates (trust, cleartext, md5, SCRAM-SHA-256) and completes at the first ReadyForQuery. Fails
     * with {@link PgClientException}: the server's SQLSTATE (e.g. 53300, 28P01) or 08001 when the server is
     * unreachable or the login times out.
     *
     * @param extraStartupParameters sent after {@code user} and {@code database}, e.g. {@code application_name}
     */
    public CompletableFuture<PgClient> connect(String host, int port, String user, String password, String database,
                                               Map<String, String> extraStartupParameters) {
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", user);
        startup.put("database", database);
        startup.put("client_encoding", "UTF8");
        startup.putAll(extraStartupParameters);
        CompletableFuture<PgClient> connected = new CompletableFuture<>();
        Bootstrap attempt = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                PgClient client = new PgClient(channel);
                channel.pipeline().addLast(MessageFrameDecoder.backend(MAX_MESSAGE_LENGTH),
                        new ConnectionHandler(client, startup, password, connected, loginTimeoutMillis));
            }
        });
        attempt.connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                connected.completeExceptionally(new PgClientException(PgClientException.UNABLE_TO_CONNECT,
                        "cannot connect to " + host + ":" + port + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return connected;
    }

    /** Closes every connection and stops the event loops, waiting up to 10 s. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
