// The metrics registry of one running pgmux and what it publishes: pools, sessions, pins, auth, JVM and process.
package io.pgmux.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.server.notify.NotifyHubs;
import io.pgmux.server.notify.NotifyMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Owns the Prometheus registry: Micrometer meters for the server-wide figures (clients logging in, pins,
 * authentication failures, JVM, process, Netty memory) and a {@link PoolCollector} for the per-pool ones. Scrapes
 * read adders and snapshots; nothing is computed on the data path.
 *
 * <p>Hazard: {@link #close()} must be called when the server stops, or the GC listener of {@link JvmGcMetrics}
 * stays registered with the JVM.
 */
public final class ProxyMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    /** The OpenMetrics 1.0 text format, served to scrapers that ask for it. */
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    /** The Prometheus text format 0.0.4, served to everyone else (curl, browsers, older scrapers). */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * How long after start-up the JVM binders run when no scrape asks for them sooner: GC pauses before it are not in
     * the GC figures (the memory, thread and class figures read the JVM's own totals).
     */
    static final Duration JVM_BINDING_DELAY = Duration.ofSeconds(2);

    /** Held here because Micrometer's function counters keep only a weak reference to what they read. */
    private final ClientFigures clients;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Thread jvmBinding;
    /** Counted down by the first scrape (or close): the JVM binders then run at once instead of after the delay. */
    private final CountDownLatch jvmWanted = new CountDownLatch(1);
    /** Held here because Micrometer's function counters keep only a weak reference to what they read. */
    private final PinFigures pinFigures;

    /**
     * @param databases the configured database names (read at each scrape, so a reload shows)
     */
    public ProxyMetrics(PoolRegistry pools, ClientFigures clients, PinFigures pins,
                        Supplier<Iterable<String>> databases, NotifyHubs notifyHubs) {
        this.clients = clients;
        this.pinFigures = pins;
        PrometheusRegistry prometheus = new PrometheusRegistry();
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus,
                io.micrometer.core.instrument.Clock.SYSTEM);
        prometheus.register(new PoolCollector(pools, clients, databases, pins.reasons()));
        clients();
        pins(pins);
        NotifyMetrics.bind(registry, notifyHubs);
        // The JVM binders look up a dozen MXBeans and load a few hundred classes: done on their own thread, and only
        // once start-up and the first clients' logins are over (JVM_BINDING_DELAY) so as not to compete with them for
        // the CPU, unless a scrape comes first. A scrape waits for them, so no scrape misses a JVM figure.
        jvmBinding = new Thread(this::bindJvmWhenWanted, "pgmux-jvm-metrics");
        jvmBinding.setDaemon(true);
        jvmBinding.start();
    }

    /** The figures a client session of (database, user) records. */
    public SessionMetrics session(String database, String user) {
        return clients.meters(database, user);
    }

    /**
     * Publishes a count kept by {@code failures} as {@code pgmux_auth_failures_total{reason}}, read at each scrape.
     * Micrometer holds {@code failures} weakly: it must be an object the server keeps, not a lambda made here.
     */
    public <T> void bindAuthFailures(String reason, T failures, java.util.function.ToLongFunction<T> count) {
        io.micrometer.core.instrument.FunctionCounter.builder("pgmux.auth.failures", failures, f -> count.applyAsLong(f))
                .tag("reason", reason).description("Failed client logins by reason").register(registry);
    }

    /** {@code pgmux_build_info{version}}: always 1, so that dashboards and alerts can join on the version. */
    public void bindBuildInfo(String version) {
        Gauge.builder("pgmux.build.info", () -> 1).tag("version", version)
                .description("pgmux build, as a label; always 1").strongReference(true).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The content type a scrape answers an {@code Accept} header with (OpenMetrics when asked for, else text 0.0.4). */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
    }

    /** Writes every metric in the format negotiated from {@code accept}. */
    public void scrape(OutputStream out, String accept) throws IOException {
        awaitJvmBinding();
        registry.scrape(out, contentType(accept));
    }

    private void clients() {
        Gauge.builder("pgmux.clients.connected", clients, ClientFigures::connected)
                .description("Client sockets open now, logged in or not")
                .strongReference(true).register(registry);
        FunctionCounter.builder("pgmux.client.logins", clients, ClientFigures::logins)
                .description("Client logins that succeeded (RDS Proxy: ClientConnectionsSetupSucceeded)")
                .register(registry);
        FunctionCounter.builder("pgmux.client.disconnects", clients, ClientFigures::logouts)
                .description("Logged-in clients that disconnected (RDS Proxy: ClientConnectionsClosed)")
                .register(registry);
        Gauge.builder("pgmux.clients.login", clients, c -> Math.max(0, c.connected() - c.loggedIn()))
                .description("Clients connected but not yet logged in (PgBouncer: login state)")
                .strongReference(true).register(registry);
        FunctionCounter.builder("pgmux.client.connections.received", clients, ClientFigures::received)
                .description("Client connections accepted by the listener (RDS Proxy: ClientConnectionsReceived)")
                .register(registry);
        Gauge.builder("pgmux.clients.max", clients, ClientFigures::maxClients)
                .description("max_client_conn: client connections accepted at most")
                .strongReference(true).register(registry);
        FunctionCounter.builder("pgmux.client.connections.refused", clients, ClientFigures::refused)
                .tag("reason", "max_client_conn")
                .description("Client connections refused because max_client_conn was reached")
                .register(registry);
    }

    private void pins(PinFigures pins) {
        Gauge.builder("pgmux.pinned.backends", pins, PinFigures::pinnedNow)
                .description("Backends pinned to their client now")
                .strongReference(true).register(registry);
        for (String reason : pins.reasons()) {
            FunctionCounter.builder("pgmux.pins", pins, p -> p.pins(reason)).tag("reason", reason)
                    .description("Pins that started, by the first reason").register(registry);
        }
        FunctionCounter.builder("pgmux.unpins", pins, PinFigures::unpins)
                .description("Pins that ended because their session state was undone").register(registry);
        FunctionCounter.builder("pgmux.pinned.time", pins, p -> p.pinnedNanosTotal() / 1e9).baseUnit("seconds")
                .description("Total time backends stayed pinned, over the pins that ended").register(registry);
    }

    private void awaitJvmBinding() {
        jvmWanted.countDown();
        try {
            jvmBinding.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void bindJvmWhenWanted() {
        try {
            jvmWanted.await(JVM_BINDING_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jvm();
    }

    private void jvm() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("pgmux.netty.direct.memory.used", PlatformDependent::usedDirectMemory)
                .baseUnit("bytes").description("Direct memory Netty counts as reserved (-1 when it cannot count)")
                .strongReference(true).register(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            Gauge.builder("pgmux.netty.allocator.used", provider, p -> p.metric().usedDirectMemory())
                    .tag("memory", "direct").baseUnit("bytes").description("Memory held by Netty's allocator")
                    .strongReference(true).register(registry);
            Gauge.builder("pgmux.netty.allocator.used", provider, p -> p.metric().usedHeapMemory())
                    .tag("memory", "heap").baseUnit("bytes").description("Memory held by Netty's allocator")
                    .strongReference(true).register(registry);
        }
    }

    @Override
    public void close() {
        awaitJvmBinding();
        gc.close();
        registry.close();
    }
}
