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
import io.pgmux.pool.Transport;
import io.pgmux.server.http.AdminHttpServer;
import io.pgmux.server.metrics.ClientDirectory;
import io.pgmux.server.metrics.ProxyMetrics;
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
    private final ProxyMetrics metrics;
    private Channel listener;
    private AdminHttpServer admin;

    public PgmuxServer(PgmuxConfig config) {
        this.config = config;
        this.transport = Transport.select(config.transport());
        this.bossGroup = transport.newEventLoopGroup(1, new DefaultThreadFactory("pgmux-accept", true));
        this.workerGroup = transport.newEventLoopGroup(config.workerThreads(),
                new DefaultThreadFactory("pgmux-io", true));
        ServerConnector connector = new ServerConnector(transport, config.timeouts().serverConnectTimeout(),
                config.maxMessageLength());
        this.pools = new PoolRegistry(config, connector, workerGroup);
        ClientRegistry clients = new ClientRegistry(config.pool().maxClientConn());
        PinCounters pins = new PinCounters();
        ClientDirectory directory = new ClientDirectory();
        this.metrics = new ProxyMetrics(pools, directory, clients::connectedCount, new PinFiguresView(pins),
                () -> config.databases().keySet());
        this.context = new ProxyContext(config, pools, clients, new CancelForwarder(transport),
                new Credentials(config), new TimeoutSweeper(config.timeouts()), pins, directory, metrics);
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
        if (config.adminListen() != null) {
            admin = AdminHttpServer.start(config.adminListen(), transport, metrics, () -> config, this::accepting);
        }
        return this;
    }

    /** True while the client listener is bound and accepting new connections. */
    boolean accepting() {
        return listener != null && listener.isActive();
    }

    /** The port of the admin HTTP endpoint; -1 when admin_listen is not set. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public ProxyMetrics metrics() {
        return metrics;
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
        if (admin != null) {
            admin.close();
        }
        pools.closeAll();
        metrics.close();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("pgmux stopped");
    }
}
