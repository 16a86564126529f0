// The admin HTTP listener (admin_listen): metrics and Kubernetes health probes, on an event loop of its own.
package io.pgmux.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgmux.config.HostPort;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.protocol.transport.Transport;
import io.pgmux.server.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} (Prometheus text, or OpenMetrics when the {@code Accept} header asks for it),
 * {@code GET /health/live} (200 while the process serves), {@code GET /health/ready} (200 while pgmux takes new
 * clients: the listener accepts, no shutdown has begun and max_client_conn is not reached, else 503) and
 * {@code GET /health/backends} (200 while every configured database answered its last TCP probe, else 503).
 *
 * <p>Readiness deliberately ignores the databases: while PostgreSQL is away, clients are better off queued by pgmux
 * (or answered with PostgreSQL's error) than refused because every replica left the Service at once.
 *
 * <p>One dedicated event-loop thread: scrapes and probes never run on the loops that carry client traffic.
 * Requests are limited to 8 KiB. {@link #close()} stops the probe, the listener and the thread.
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);
    private static final long PROBE_PERIOD_MILLIS = 1000;

    private final EventLoopGroup group;
    private final BackendProbe probe;
    private final Channel channel;

    private AdminHttpServer(EventLoopGroup group, BackendProbe probe, Channel channel) {
        this.group = group;
        this.probe = probe;
        this.channel = channel;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and starts probing the databases.
     *
     * @param ready true while pgmux takes new clients (false before start, during the shutdown grace and while
     *              draining)
     */
    public static AdminHttpServer start(HostPort address, Transport transport, ProxyMetrics metrics,
                                        Supplier<PgmuxConfig> config, BooleanSupplier ready)
            throws InterruptedException {
        EventLoopGroup group = transport.newEventLoopGroup(1, new DefaultThreadFactory("pgmux-admin", true));
        BackendProbe probe = new BackendProbe(config, transport, group.next(), PROBE_PERIOD_MILLIS);
        probe.bindMetrics(metrics.registry());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelClass())
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                            ch.pipeline().addLast(new HttpObjectAggregator(8192));
                            ch.pipeline().addLast(new AdminHttpHandler(metrics, ready, probe::allReachable));
                        }
                    })
                    .bind(address.host(), address.port()).sync().channel();
            probe.start();
            AdminHttpServer server = new AdminHttpServer(group, probe, channel);
            log.info("pgmux admin HTTP on {}:{} (/metrics, /health/live, /health/ready, /health/backends)", address.host(),
                    server.port());
            return server;
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        probe.stop();
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
