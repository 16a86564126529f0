// The keepalive options reach real sockets: an accepted one through the listener's options, on NIO and epoll.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgmux.config.TcpKeepalive;
import io.pgmux.protocol.transport.Transport;
import io.pgmux.testing.DetectLeaks;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeepaliveOptionsTest {
    private static final TcpKeepalive TIMED = new TcpKeepalive(true, Duration.ofSeconds(42), Duration.ofSeconds(7), 3,
            Duration.ofSeconds(20));

    @Test
    void offSetsOnlySoKeepaliveFalse() {
        TcpKeepalive off = new TcpKeepalive(false, Duration.ofSeconds(42), Duration.ZERO, 3, Duration.ZERO);
        assertThat(KeepaliveOptions.of(Transport.nio(), off)).containsExactly(Map.entry(ChannelOption.SO_KEEPALIVE,
                false));
    }

    @Test
    void timingsLeftAtZeroAreNotSet() {
        assertThat(KeepaliveOptions.of(Transport.nio(), TcpKeepalive.defaults()))
                .containsExactly(Map.entry(ChannelOption.SO_KEEPALIVE, true));
    }

    @Test
    void nioSetsTheTimingsButNotTheUserTimeoutAndSaysSo() throws Exception {
        Map<ChannelOption<?>, Object> options = KeepaliveOptions.of(Transport.nio(), TIMED);
        assertThat(options).hasSize(4).doesNotContainValue(20_000);
        assertThat(KeepaliveOptions.unsupported(Transport.nio(), TIMED)).contains("tcp_user_timeout", "nio");
        assertThat(KeepaliveOptions.unsupported(Transport.nio(), TcpKeepalive.defaults())).isNull();
        assertAccepted(Transport.nio(), options);
    }

    @Test
    void epollSetsEveryOption() throws Exception {
        if (!Epoll.isAvailable()) {
            return; // not Linux: nothing to check here
        }
        Map<ChannelOption<?>, Object> options = KeepaliveOptions.of(Transport.epoll(), TIMED);
        assertThat(options).hasSize(5).containsValue(20_000);
        assertThat(KeepaliveOptions.unsupported(Transport.epoll(), TIMED)).isNull();
        assertAccepted(Transport.epoll(), options);
    }

    /** Accepts one connection with the options applied and reads each back from the accepted socket. */
    private static void assertAccepted(Transport transport, Map<ChannelOption<?>, Object> expected) throws Exception {
        EventLoopGroup group = transport.newEventLoopGroup(1, new DefaultThreadFactory("keepalive-test", true));
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        try {
            ServerBootstrap bootstrap = KeepaliveOptions.applyToAccepted(new ServerBootstrap(), transport, TIMED)
                    .group(group).channel(transport.serverChannelClass())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.complete(ch);
                        }
                    });
            Channel listener = bootstrap.bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket()) {
                client.connect((InetSocketAddress) listener.localAddress(), 5000);
                Channel ch = accepted.get(5, TimeUnit.SECONDS);
                for (Map.Entry<ChannelOption<?>, Object> option : expected.entrySet()) {
                    assertThat(ch.config().getOption(option.getKey())).as(option.getKey().name())
                            .isEqualTo(option.getValue());
                }
            } finally {
                listener.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
