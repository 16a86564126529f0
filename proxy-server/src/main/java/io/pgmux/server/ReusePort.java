// SO_REUSEPORT on the client listener, so a new pgmux can bind the port of the one it replaces.
package io.pgmux.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.pgmux.protocol.transport.Transport;
import java.net.StandardSocketOptions;

/**
 * Sets {@code SO_REUSEPORT} on a listener for {@code so_reuseport: true}. The kernel then spreads new connections
 * over every socket bound to the port, which is what lets an old and a new process overlap during a restart.
 * epoll and io_uring set it natively; NIO sets the JDK's {@link StandardSocketOptions#SO_REUSEPORT}, which JDK 9 and
 * later support on Linux and macOS (where the JDK does not, binding fails with a message naming the option).
 *
 * <p>Hazard: when a process closes its listener, Linux resets the connections still waiting in that socket's
 * accept queue unless {@code net.ipv4.tcp_migrate_req} is 1. pgmux accepts at once, so the queue is normally empty;
 * the shutdown grace makes sure no new traffic is routed to it by then.
 */
final class ReusePort {

    private ReusePort() {
    }

    static void apply(ServerBootstrap bootstrap, Transport transport) {
        if (NioServerSocketChannel.class.isAssignableFrom(transport.serverChannelClass())) {
            bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        } else {
            bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
        }
    }
}
