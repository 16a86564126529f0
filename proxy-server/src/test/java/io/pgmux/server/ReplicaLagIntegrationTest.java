// Two streaming standbys behind a read-only alias: reads split evenly; one made to lag is skipped until it catches up.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PrivatePostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code target_session_attrs: standby} with {@code max_replica_lag: 1s} over a primary and two standbys: reads are
 * balanced across the standbys per transaction; a standby whose replay is paused (pg_wal_replay_pause) while the
 * primary writes is found lagging by the health check, shown so in SHOW HOSTS and on /metrics, and gets no reads
 * until replay resumes.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicaLagIntegrationTest {
    private static final int CLIENTS = 8;
    /**
     * Fewer than the 10,000 of the issue, which take half a minute here: the pool keeps the standbys within a few
     * transactions of each other at any count (see HostShares in the pool), so the tighter bound below says more.
     */
    private static final int READS = 4_000;

    @Test
    void readsSplitEvenlyAndALaggingStandbyIsSkippedUntilItCatchesUp() throws Exception {
        try (PrivatePostgres primary = PrivatePostgres.start()) {
            execute(primary, "CREATE TABLE beats (at timestamptz)");
            execute(primary, "INSERT INTO beats VALUES (now())");
            try (PrivatePostgres first = primary.standbyCopy();
                 PrivatePostgres second = primary.standbyCopy();
                 PgmuxServer pgmux = pgmux(primary, first, second)) {
                // Lag is the age of the last transaction replayed: each standby must have replayed one first.
                execute(primary, "INSERT INTO beats VALUES (now())");
                awaitReplayed(first, 2);
                awaitReplayed(second, 2);
                long started = System.nanoTime();
                Map<Integer, Integer> split = reads(pgmux, READS);
                System.out.printf("[replica-lag] %d reads in %d ms: %s by port%n", READS,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), split);
                assertThat(split).doesNotContainKey(primary.port());
                // The pool keeps the standbys within a few transactions of each other whatever their speed (see
                // HostShares); half the 45-55 % is left for holds given up on a loaded machine.
                assertThat(split.get(first.port())).as("47.5-52.5 %% of the reads")
                        .isBetween(READS * 475 / 1000, READS * 525 / 1000);
                assertThat(split.get(second.port())).isBetween(READS * 475 / 1000, READS * 525 / 1000);

                execute(first, "SELECT pg_wal_replay_pause()");
                execute(primary, "INSERT INTO beats VALUES (now())"); // received by the first, not replayed
                Map<String, Object> lagging = awaitHost(pgmux, first.port(), row -> "lagging".equals(row.get("state")));
                assertThat((Long) lagging.get("replay_lag_ms")).isGreaterThan(1000L);
                Scrape scrape = Scrape.parse(get(pgmux, "/metrics"));
                assertThat(scrape.value("pgmux_host_lagging", "host", "127.0.0.1:" + first.port())).isEqualTo(1);
                assertThat(scrape.value("pgmux_host_replay_lag_seconds", "host", "127.0.0.1:" + first.port()))
                        .isGreaterThan(1.0);
                Map<Integer, Integer> whileLagging = reads(pgmux, 1_000);
                System.out.printf("[replica-lag] a standby lagging: %s by port%n", whileLagging);
                assertThat(whileLagging).containsOnlyKeys(second.port());

                execute(first, "SELECT pg_wal_replay_resume()");
                awaitHost(pgmux, first.port(), row -> "up".equals(row.get("state")));
                Map<Integer, Integer> caughtUp = reads(pgmux, 1_000);
                assertThat(caughtUp).containsOnlyKeys(first.port(), second.port());
            }
        }
    }

    /** Waits (bounded: 20 s) until {@code standby} shows {@code rows} rows in beats. */
    private static void awaitReplayed(PrivatePostgres standby, int rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Connection c = standby.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM beats")) {
                rs.next();
                if (rs.getInt(1) >= rows) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the standby did not replay " + rows + " rows");
            }
            Thread.sleep(50);
        }
    }

    /** {@code total} autocommit reads over {@link #CLIENTS} clients, counted by the port of the server. */
    private static Map<Integer, Integer> reads(PgmuxServer pgmux, int total) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger done = new AtomicInteger();
        Map<Integer, AtomicInteger> byPort = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            java.util.List<Future<?>> clients = new java.util.ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(threads.submit(() -> {
                    try (Connection c = connect(pgmux, "app_ro"); Statement s = c.createStatement()) {
                        while (done.getAndIncrement() < total) {
                            try (ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                                rs.next();
                                byPort.computeIfAbsent(rs.getInt(1), p -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdown();
        }
        Map<Integer, Integer> counts = new HashMap<>();
        byPort.forEach((port, n) -> counts.put(port, n.get()));
        return counts;
    }

    /** Polls SHOW HOSTS (bounded: 20 s) until the row of {@code port} satisfies {@code wanted}; returns that row. */
    private static Map<String, Object> awaitHost(PgmuxServer pgmux, int port, Predicate<Map<String, Object>> wanted)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Map<String, Object> row = Map.of();
        while (System.nanoTime() < deadline) {
            row = hostRow(pgmux, port);
            if (wanted.test(row)) {
                return row;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("SHOW HOSTS never showed the wanted state for port " + port + "; last: " + row);
    }

    private static Map<String, Object> hostRow(PgmuxServer pgmux, int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PrivatePostgres.USER);
        p.setProperty("preferQueryMode", "simple");
        try (Connection console = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgmux.port()
                + "/pgbouncer", p); Statement s = console.createStatement();
             ResultSet rs = s.executeQuery("SHOW HOSTS")) {
            while (rs.next()) {
                if (rs.getInt("port") == port) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("state", rs.getString("state"));
                    long lag = rs.getLong("replay_lag_ms");
                    row.put("replay_lag_ms", rs.wasNull() ? null : lag);
                    return row;
                }
            }
        }
        return Map.of();
    }

    private static void execute(PrivatePostgres server, String sql) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String get(PgmuxServer pgmux, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + pgmux.adminPort() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * The health check gives up after server_connect_timeout: 10 s rather than 2, so that a loaded machine (a check
     * stuck for 2 s happened) does not mark a standby down, whose reads would then all go to the other for a while.
     */
    private static PgmuxServer pgmux(PrivatePostgres primary, PrivatePostgres first, PrivatePostgres second)
            throws InterruptedException {
        return new PgmuxServer(ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                admin_listen: 127.0.0.1:0
                admin_users: [%s]
                auth_type: trust
                pool: {mode: transaction, default_pool_size: 4}
                timeouts: {server_connect_timeout: 10s, query_wait_timeout: 60s}
                databases:
                  app_ro:
                    hosts: [127.0.0.1:%d, 127.0.0.1:%d, 127.0.0.1:%d]
                    dbname: %s
                    user: %s
                    target_session_attrs: standby
                    health_check_period: 200ms
                    max_replica_lag: 1s
                """.formatted(PrivatePostgres.USER, primary.port(), first.port(), second.port(),
                PrivatePostgres.DATABASE, PrivatePostgres.USER))).start();
    }

    private static Connection connect(PgmuxServer pgmux, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PrivatePostgres.USER);
        p.setProperty("prepareThreshold", "0");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgmux.port() + "/" + database, p);
    }
}
