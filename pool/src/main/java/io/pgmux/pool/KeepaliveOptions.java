// The socket options that carry tcp_keepalive and its timings on each transport.
package io.pgmux.pool;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import io.pgmux.config.TcpKeepalive;
import io.pgmux.protocol.transport.Transport;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;

/**
 * Translates {@link TcpKeepalive} into channel options for the transport in use, for the client listener and for
 * backend connections alike. Timings left at 0 are not set, so the operating system's apply. The native transports
 * set every option; NIO sets the keepalive timings through the JDK's extended socket options and cannot set
 * {@code tcp_user_timeout} ({@link #unsupported} says so, for a warning at start-up).
 */
public final class KeepaliveOptions {

    private KeepaliveOptions() {
    }

    /** The options to set on each socket, in order; SO_KEEPALIVE always comes first. */
    public static Map<ChannelOption<?>, Object> of(Transport transport, TcpKeepalive tcp) {
        Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
        options.put(ChannelOption.SO_KEEPALIVE, tcp.enabled());
        if (!tcp.enabled()) {
            return options;
        }
        Names names = names(transport);
        putIfSet(options, names.idle(), tcp.idleSeconds());
        putIfSet(options, names.interval(), tcp.intervalSeconds());
        putIfSet(options, names.count(), tcp.count());
        putIfSet(options, names.userTimeout(), tcp.userTimeoutMillis());
        return options;
    }

    /** A sentence naming the settings {@code transport} cannot apply, or null when it applies them all. */
    public static String unsupported(Transport transport, TcpKeepalive tcp) {
        if (names(transport).userTimeout() == null && tcp.userTimeoutMillis() > 0) {
            return "tcp_user_timeout is not applied with the " + transport.name() + " transport (epoll and io_uring "
                    + "apply it)";
        }
        return null;
    }

    /** Sets the options on the sockets a client bootstrap opens. */
    @SuppressWarnings("unchecked")
    public static Bootstrap apply(Bootstrap bootstrap, Transport transport, TcpKeepalive tcp) {
        of(transport, tcp).forEach((option, value) -> bootstrap.option((ChannelOption<Object>) option, value));
        return bootstrap;
    }

    /** Sets the options on the sockets a listener accepts. */
    @SuppressWarnings("unchecked")
    public static ServerBootstrap applyToAccepted(ServerBootstrap bootstrap, Transport transport, TcpKeepalive tcp) {
        of(transport, tcp).forEach((option, value) -> bootstrap.childOption((ChannelOption<Object>) option, value));
        return bootstrap;
    }

    private static void putIfSet(Map<ChannelOption<?>, Object> options, ChannelOption<Integer> option, int value) {
        if (option != null && value > 0) {
            options.put(option, value);
        }
    }

    /** The options of one transport; null where it has none. */
    private record Names(ChannelOption<Integer> idle, ChannelOption<Integer> interval, ChannelOption<Integer> count,
                         ChannelOption<Integer> userTimeout) {
    }

    private static Names names(Transport transport) {
        return switch (transport.name()) {
            case "epoll" -> new Names(EpollChannelOption.TCP_KEEPIDLE, EpollChannelOption.TCP_KEEPINTVL,
                    EpollChannelOption.TCP_KEEPCNT, EpollChannelOption.TCP_USER_TIMEOUT);
            case "io_uring" -> new Names(IoUringChannelOption.TCP_KEEPIDLE, IoUringChannelOption.TCP_KEEPINTVL,
                    IoUringChannelOption.TCP_KEEPCNT, IoUringChannelOption.TCP_USER_TIMEOUT);
            default -> new Names(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                    NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                    NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), null);
        };
    }
}
