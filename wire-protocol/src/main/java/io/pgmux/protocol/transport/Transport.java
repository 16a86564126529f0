// Chooses the socket transport (io_uring, epoll or NIO) for client and backend channels.
package io.pgmux.protocol.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The socket transport pgmux runs on: io_uring, then epoll, then NIO, whichever is the first available, or the
 * one the configuration names. Client and backend channels use the same transport and event loops so a client
 * and its backend can share one loop; it lives here, below both the listeners and the pool, so that neither
 * borrows it from the other.
 */
public record Transport(String name, Supplier<IoHandlerFactory> ioHandlerFactory,
                        Class<? extends ServerSocketChannel> serverChannelClass,
                        Class<? extends SocketChannel> socketChannelClass) {

    /** The first transport that loads here: io_uring, then epoll, then NIO. */
    public static Transport best() {
        return ioUringAvailable() ? ioUring() : Epoll.isAvailable() ? epoll() : nio();
    }

    private static boolean ioUringAvailable() {
        try {
            return IoUring.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** @throws IllegalStateException when epoll cannot load here */
    public static Transport epoll() {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("transport epoll is not available here: " + Epoll.unavailabilityCause());
        }
        return new Transport("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class,
                EpollSocketChannel.class);
    }

    /** @throws IllegalStateException when io_uring cannot load here */
    public static Transport ioUring() {
        if (!ioUringAvailable()) {
            throw new IllegalStateException("transport io_uring is not available here: "
                    + IoUring.unavailabilityCause());
        }
        return new Transport("io_uring", IoUringIoHandler::newFactory, IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
    }

    public EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory.get());
    }
}
