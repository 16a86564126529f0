// The Unix socket clients such as psql reach by default: DIR/.s.PGSQL.PORT, as PostgreSQL and PgBouncer name it.
package io.pgmux.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.pgmux.protocol.transport.Transport;
import io.pgmux.server.clients.ClientTransport;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * A listener on a Unix domain socket, for clients on the same machine ({@code unix_socket_dir}). All three transports
 * have one: io_uring and epoll through Netty's native domain socket channels, NIO through the JDK's UNIX domain
 * sockets (Java 16 and later). Its clients are marked {@link ClientTransport#UNIX_SOCKET}: they have no IP address,
 * match the {@code local} lines of auth_hba_file, and are never offered TLS (PostgreSQL does not either).
 *
 * <p>A socket file left behind by a pgmux or PgBouncer that died is removed before binding; one that still answers
 * means another server runs there, and the start fails with "address already in use". The file gets
 * {@code unix_socket_mode} and, when set, {@code unix_socket_group}, and is removed when the listener closes.
 */
final class UnixSocketListener {
    private final Path file;
    private final Channel channel;

    private UnixSocketListener(Path file, Channel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Binds {@code file}, then applies the mode and the group.
     *
     * @throws IOException when another server answers on {@code file}, or the mode or group cannot be set
     */
    static UnixSocketListener bind(Path file, int mode, String group, Transport transport, EventLoopGroup boss,
                                   EventLoopGroup workers, ChannelHandler clientHandlers)
            throws IOException, InterruptedException {
        removeStale(file);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(serverChannelClass(transport))
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ClientTransport.UNIX_SOCKET.mark(ch);
                        ch.pipeline().addLast(clientHandlers);
                    }
                });
        Channel bound = bootstrap.bind(address(transport, file)).sync().channel();
        UnixSocketListener listener = new UnixSocketListener(file, bound);
        try {
            Files.setPosixFilePermissions(file, permissions(mode));
            if (group != null) {
                GroupPrincipal principal = file.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(group);
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(principal);
            }
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        return listener;
    }

    Path file() {
        return file;
    }

    /** Stops accepting and removes the socket file; connected clients stay. */
    void close() {
        channel.close().syncUninterruptibly();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Nothing to do about it here; the next start removes a stale file anyway.
        }
    }

    private static Class<? extends ServerChannel> serverChannelClass(Transport transport) {
        return switch (transport.name()) {
            case "io_uring" -> IoUringServerDomainSocketChannel.class;
            case "epoll" -> EpollServerDomainSocketChannel.class;
            default -> NioServerDomainSocketChannel.class;
        };
    }

    /** Netty's native channels take their own address type; the NIO channel takes the JDK's. */
    private static SocketAddress address(Transport transport, Path file) {
        return transport.name().equals("nio") ? UnixDomainSocketAddress.of(file)
                : new DomainSocketAddress(file.toString());
    }

    /** Removes {@code file} unless a server answers on it (PostgreSQL uses a lock file; a connection will do). */
    private static void removeStale(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        boolean answers;
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            answers = probe.connect(UnixDomainSocketAddress.of(file));
        } catch (IOException nobodyThere) {
            answers = false;
        }
        if (answers) {
            throw new BindException("Address already in use: a server answers on " + file);
        }
        Files.deleteIfExists(file);
    }

    /** Permission bits as chmod reads them (0777: read and write for everyone; execute means nothing here). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
