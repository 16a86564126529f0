// Checks every second that each configured database accepts TCP connections, for /health/backends.
package io.pgmux.server.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.HostPort;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.protocol.transport.Transport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a TCP connection to every configured database's host and port each period and closes it at once, sending
 * nothing (PostgreSQL does not log connections that close before their first byte). A database is reachable while
 * its last probe connected. The probe runs on the admin loop, never on the client loops.
 *
 * <p>Hazard: a TCP accept proves the server is up, not that pgmux can log in; login failures show in the
 * {@code pgmux_server_connect_failures} metric instead.
 */
final class BackendProbe {
    private static final Logger log = LoggerFactory.getLogger(BackendProbe.class);

    private final Supplier<PgmuxConfig> config;
    private final Transport transport;
    private final EventLoop loop;
    private final long periodMillis;
    private final Map<String, Boolean> reachable = new ConcurrentHashMap<>();
    private ScheduledFuture<?> task;
    /** Set before {@link #start}; read on the admin loop only. */
    private MeterRegistry registry;

    BackendProbe(Supplier<PgmuxConfig> config, Transport transport, EventLoop loop, long periodMillis) {
        this.config = config;
        this.transport = transport;
        this.loop = loop;
        this.periodMillis = periodMillis;
    }

    void start() {
        task = loop.scheduleAtFixedRate(this::probeAll, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** True when the last probe of every configured database connected. */
    boolean allReachable() {
        for (String name : config.get().databases().keySet()) {
            if (!Boolean.TRUE.equals(reachable.get(name))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Publishes {@code pgmux_database_reachable{database}}: 1 while the last probe of that database connected, else
     * 0. A gauge is registered the first time a database is probed, so databases added by RELOAD get one too.
     */
    void bindMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The last probe result of each configured database; absent until its first probe ended. */
    Map<String, Boolean> results() {
        return Map.copyOf(reachable);
    }

    private void probeAll() {
        reachable.keySet().retainAll(config.get().databases().keySet());
        for (DatabaseConfig db : config.get().databases().values()) {
            probe(db);
        }
    }

    private void probe(DatabaseConfig db) {
        probe(db, 0);
    }

    /** Tries the database's hosts in order: it is reachable when any of them accepts a connection. */
    private void probe(DatabaseConfig db, int index) {
        HostPort host = db.hosts().get(index);
        int timeout = (int) Math.max(100, periodMillis);
        ChannelFuture connect = new Bootstrap().group(loop).channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeout)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(host.host(), host.port());
        connect.addListener(f -> {
            connect.channel().close();
            boolean up = f.isSuccess();
            if (!up && index + 1 < db.hosts().size()) {
                probe(db, index + 1);
                return;
            }
            Boolean before = reachable.put(db.name(), up);
            if (before == null && registry != null) {
                Gauge.builder("pgmux.database.reachable", reachable,
                                map -> Boolean.TRUE.equals(map.get(db.name())) ? 1 : 0)
                        .tag("database", db.name())
                        .description("1 while the database accepted the last TCP probe of pgmux, else 0")
                        .register(registry);
            }
            if (before == null || before != up) {
                log.info("database {} at {} is {}", db.name(), host, up ? "reachable"
                        : "unreachable: " + f.cause().getMessage());
            }
        });
    }
}
