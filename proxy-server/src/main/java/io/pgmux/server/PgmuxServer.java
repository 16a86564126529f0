package io.pgmux.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.pool.ServerConnector;
import io.pgmux.pool.ServerTls;
import io.pgmux.pool.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running pgmux: the listening socket, the event loops shared by client and backend connections, and the
 * pools. {@link #start} binds and returns; {@link #close} stops accepting, closes every connection and the pools.
 */
public final class PgmuxServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgmuxServer.class);

    private final PgmuxConfig config;
    private final Transport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final PoolRegistry pools;
    private final ProxyContext context;
    private Channel listener;

    public PgmuxServer(PgmuxConfig config) {
        this.config = config;
        this.transport = Transport.select(config.transport());
        this.bossGroup = transport.newEventLoopGroup(1, new DefaultThreadFactory("pgmux-accept", true));
        this.workerGroup = transport.newEventLoopGroup(config.workerThreads(),
                new DefaultThreadFactory("pgmux-io", true));
        ServerConnector connector = new ServerConnector(transport, config.timeouts().serverConnectTimeout(),
                config.maxMessageLength(), new ServerTls(config.auth().serverTls()));
        this.pools = new PoolRegistry(config, connector, workerGroup);
        this.context = new ProxyContext(config, pools, new ClientRegistry(config.pool().maxClientConn()),
                new CancelForwarder(transport), new Credentials(config), new TimeoutSweeper(config.timeouts()), new PinCounters(),
                new ClientTls(config.auth().clientTls()), new AuthFailures());
    }

    /** Binds the listen address; port 0 picks a free port (see {@link #port()}). */
    public PgmuxServer start() throws InterruptedException {
        listener = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ClientChannelInitializer(context))
                .bind(config.listen().host(), config.listen().port())
                .sync()
                .channel();
        log.info("pgmux listening on {}:{} (transport {}, {} event loops)", config.listen().host(), port(),
                transport.name(), config.workerThreads());
        return this;
    }

    /**
     * Re-reads the client TLS key, certificate and CA files (RELOAD, SIGHUP); connections keep running, new
     * handshakes use the new files. A file that cannot be used leaves the old ones in force.
     *
     * @throws io.pgmux.config.ConfigException if the new files cannot be used
     * @throws IllegalStateException           if client TLS is disabled
     */
    public void reloadCertificates() {
        context.clientTls().reloadCertificates();
    }

    /** Failed client logins by reason, for the metrics endpoint. */
    public AuthFailures authFailures() {
        return context.authFailures();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public String transportName() {
        return transport.name();
    }

    public PoolRegistry pools() {
        return pools;
    }

    /** Pinning figures; package-private until the metrics endpoint publishes them. */
    PinCounters pinCounters() {
        return context.pinCounters();
    }

    int connectedClients() {
        return context.clients().connectedCount();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        pools.closeAll();
        context.credentials().close();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("pgmux stopped");
    }
}
