package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /metrics during and after a storm on a small pool, pinning and failed logins; content negotiation. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsIntegrationTest {
    private static final int POOL_SIZE = 2;
    private static final int CLIENTS = 30;
    private static OpsProxy proxy;
    private static String[] pool;

    @BeforeAll
    static void start() throws Exception {
        proxy = OpsProxy.start("transaction", POOL_SIZE, "");
        pool = new String[] {"database", proxy.pg.database(), "user", proxy.pg.user()};
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void stormMovesExhaustionWaitsAndGaugesThenReturnsToIdle() throws Exception {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1"); // creates the pool
        }
        Scrape before = proxy.scrape();
        double exhaustedBefore = before.value("pgmux_pool_exhaustion_events_total", pool);
        double waitsBefore = before.value("pgmux_pool_wait_seconds_count", pool);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxWaiting = new AtomicInteger();
        AtomicInteger maxActiveServers = new AtomicInteger();
        AtomicInteger maxClients = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            try {
                while (running.get()) {
                    Scrape s = proxy.scrape();
                    maxWaiting.accumulateAndGet((int) s.value("pgmux_pool_clients", with("state", "waiting")),
                            Math::max);
                    maxActiveServers.accumulateAndGet((int) s.value("pgmux_pool_servers", with("state", "active")),
                            Math::max);
                    maxClients.accumulateAndGet((int) s.value("pgmux_clients_connected"), Math::max);
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "metrics-sampler");
        sampler.start();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                done.add(threads.submit(() -> {
                    try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                        c.setAutoCommit(false);
                        s.execute("SELECT pg_sleep(0.1)");
                        c.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            sampler.join();
            threads.shutdownNow();
        }
        assertThat(maxWaiting.get()).isPositive();
        assertThat(maxActiveServers.get()).isBetween(1, POOL_SIZE);
        assertThat(maxClients.get()).isGreaterThan(POOL_SIZE);

        Scrape after = awaitIdle();
        assertThat(after.value("pgmux_pool_exhaustion_events_total", pool)).isGreaterThan(exhaustedBefore);
        assertThat(after.value("pgmux_pool_wait_seconds_count", pool)).isGreaterThan(waitsBefore);
        // 30 transactions of 100 ms on 2 backends: someone waited at least a few hundred ms.
        assertThat(after.value("pgmux_pool_wait_seconds_bucket", with("le", "0.1")))
                .isLessThan(after.value("pgmux_pool_wait_seconds_count", pool));
        // Every transaction borrowed a backend once (pgjdbc's login borrows one too), queued or not.
        assertThat(after.value("pgmux_pool_acquire_seconds_count", pool)).isGreaterThanOrEqualTo(CLIENTS);
        assertThat(after.value("pgmux_client_logins_total") - before.value("pgmux_client_logins_total"))
                .isEqualTo(CLIENTS);
        assertThat(after.value("pgmux_client_connections_received_total")
                - before.value("pgmux_client_connections_received_total")).isGreaterThanOrEqualTo(CLIENTS);
        assertThat(after.value("pgmux_pool_servers", with("state", "active"))).isZero();
        assertThat(after.value("pgmux_pool_servers", with("state", "idle"))).isBetween(1.0, (double) POOL_SIZE);
        assertThat(after.value("pgmux_pool_clients", with("state", "active"))).isZero();
        assertThat(after.value("pgmux_pool_wait_queue_depth", pool)).isZero();
        assertThat(after.value("pgmux_pool_size_max", pool)).isEqualTo(POOL_SIZE);
        assertThat(after.value("pgmux_server_connect_attempts_total", pool)).isGreaterThanOrEqualTo(1);
        assertThat(after.value("pgmux_server_connect_seconds_count", pool)).isGreaterThanOrEqualTo(1);
        assertThat(after.value("pgmux_client_received_bytes_total", pool)).isPositive();
        assertThat(after.value("pgmux_client_sent_bytes_total", pool)).isPositive();
    }

    @Test
    void queriesTransactionsErrorsAndTheStatementCacheAreCounted() throws Exception {
        Scrape before = proxy.scrape();
        java.util.Properties eager = new java.util.Properties();
        eager.setProperty("user", proxy.pg.user());
        eager.setProperty("password", proxy.pg.password());
        eager.setProperty("prepareThreshold", "1"); // named statements from the first use
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + proxy.pg.database();
        for (int client = 0; client < 2; client++) {
            try (Connection c = java.sql.DriverManager.getConnection(url, eager)) {
                for (int i = 0; i < 3; i++) {
                    try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                        ps.setInt(1, i);
                        ps.executeQuery().close();
                    }
                }
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                c.commit();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.execute("SELECT 1/0")).isInstanceOf(SQLException.class);
                }
            }
        }
        Scrape after = proxy.scrape();
        assertThat(after.value("pgmux_query_duration_seconds_count", pool)
                - orZero(before, "pgmux_query_duration_seconds_count", pool)).isGreaterThanOrEqualTo(10);
        assertThat(after.value("pgmux_query_database_duration_seconds_count", pool)
                - orZero(before, "pgmux_query_database_duration_seconds_count", pool)).isGreaterThanOrEqualTo(10);
        assertThat(after.value("pgmux_transaction_duration_seconds_count", pool)
                - orZero(before, "pgmux_transaction_duration_seconds_count", pool)).isGreaterThanOrEqualTo(2);
        assertThat(after.value("pgmux_client_errors_total", with("sqlstate_class", "22"))
                - orZero(before, "pgmux_client_errors_total", with("sqlstate_class", "22"))).isEqualTo(2);
        // The second client's Parse of the same SQL finds it prepared on the backend.
        assertThat(after.value("pgmux_prepared_statements_cache_total", with("result", "hit"))
                - orZero(before, "pgmux_prepared_statements_cache_total", with("result", "hit"))).isPositive();
        assertThat(after.value("pgmux_prepared_statements_cache_total", with("result", "miss"))).isPositive();
    }

    @Test
    void pinnedGaugeFollowsAPinningClient() throws Exception {
        double before = proxy.scrape().value("pgmux_pins_total", "reason", "sql_prepare");
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("PREPARE metrics_test AS SELECT 1");
            Scrape pinned = proxy.scrape();
            assertThat(pinned.value("pgmux_pinned_backends")).isEqualTo(1);
            assertThat(pinned.value("pgmux_pins_total", "reason", "sql_prepare")).isEqualTo(before + 1);
            assertThat(pinned.value("pgmux_pool_pinned_backends", pool)).isEqualTo(1);
            assertThat(pinned.value("pgmux_pool_pins_total", with("reason", "sql_prepare"))).isPositive();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.scrape().value("pgmux_pinned_backends") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(proxy.scrape().value("pgmux_pinned_backends")).isZero();
        assertThat(proxy.scrape().value("pgmux_pool_pinned_backends", pool)).isZero();
    }

    @Test
    void failedLoginsAreCountedByReason() throws Exception {
        double before = proxy.scrape().samples().stream()
                .filter(s -> s.name().equals("pgmux_auth_failures_total") && "wrong_password".equals(s.labels().get("reason")))
                .mapToDouble(Scrape.Sample::value).sum();
        assertThatThrownBy(() -> proxy.connect(proxy.pg.database(), proxy.pg.user(), "wrong").close())
                .isInstanceOf(SQLException.class);
        assertThat(proxy.scrape().value("pgmux_auth_failures_total", "reason", "wrong_password")).isEqualTo(before + 1);
    }

    @Test
    void openMetricsByContentNegotiationAndJvmMetrics() throws Exception {
        HttpResponse<String> open = proxy.get("/metrics", "application/openmetrics-text; version=1.0.0");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(open.body().strip()).endsWith("# EOF");
        HttpResponse<String> text = proxy.get("/metrics", "text/plain");
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        Scrape scrape = Scrape.parse(text.body());
        assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
        assertThat(scrape.has("jvm_gc_pause_seconds_count") || scrape.has("jvm_gc_memory_allocated_bytes_total"))
                .isTrue();
        assertThat(scrape.has("jvm_threads_live_threads")).isTrue();
        assertThat(scrape.has("process_files_open_files")).isTrue();
        assertThat(scrape.has("pgmux_netty_direct_memory_used_bytes")).isTrue();
        assertThat(proxy.get("/nothing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void livenessAndReadiness() throws Exception {
        assertThat(proxy.get("/health/live", null).statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.get("/health/ready", null).statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(200);
    }

    private static Scrape awaitIdle() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Scrape s = proxy.scrape();
        while ((s.value("pgmux_pool_servers", with("state", "active")) != 0
                || s.value("pgmux_pool_clients", with("state", "waiting")) != 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = proxy.scrape();
        }
        return s;
    }

    /** A series that may not exist yet (no error of that class so far, no pool yet) counts as 0. */
    private static double orZero(Scrape scrape, String name, String... labels) {
        try {
            return scrape.value(name, labels);
        } catch (AssertionError none) {
            return 0;
        }
    }

    private static String[] with(String label, String value) {
        return new String[] {pool[0], pool[1], pool[2], pool[3], label, value};
    }
}
