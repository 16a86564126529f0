package io.pgmux.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fleet_max_db_connections: three replicas whose pools together want three times the budget, under a storm of
 * clients; one is killed with SIGKILL mid-storm. PostgreSQL never runs client queries on more backends than the
 * budget, every such backend holds a slot, and the dead replica's slots are taken by the others within seconds.
 */
@DetectLeaks
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FleetBudgetIntegrationTest {
    private static final int BUDGET = 6;
    private static final int CLIENTS_PER_REPLICA = 8;
    private static final String QUERY = "SELECT pg_sleep(0.02)";
    /** The first key of pgmux's slot locks, FleetBudgetConnector.LOCK_SPACE ("pgmx"). */
    private static final long LOCK_SPACE = 0x70676d78L;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final AtomicBoolean storming = new AtomicBoolean(true);
    private final List<String> survivorFailures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger maxSlots = new AtomicInteger();
    private final AtomicInteger maxActiveWithoutSlot = new AtomicInteger();

    @Test
    void neverMoreBackendsThanTheBudgetAndTheDeadReplicasShareComesBack() throws Exception {
        List<FleetProcess> replicas = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(3 * CLIENTS_PER_REPLICA + 1);
        try {
            for (int i = 0; i < 3; i++) {
                replicas.add(FleetProcess.start(FreePorts.find(), BUDGET,
                        "fleet_max_db_connections: " + BUDGET + "\n"));
            }
            threads.execute(this::sample);
            // The victim's clients come first, so that it surely holds slots when it dies: the budget is first
            // come, first served, and busy replicas keep theirs.
            FleetProcess victim = replicas.get(2);
            stormOn(threads, victim, false);
            awaitServers(List.of(victim), 1, Duration.ofSeconds(30));
            stormOn(threads, replicas.get(0), true);
            stormOn(threads, replicas.get(1), true);
            Thread.sleep(1000);
            victim.kill();
            assertThat(victim.awaitExit(Duration.ofSeconds(10))).isNotEqualTo(-1);
            long killed = System.nanoTime();
            awaitServers(replicas.subList(0, 2), BUDGET, Duration.ofSeconds(10));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
            assertThat(seconds).as("the dead replica's slots are taken within seconds").isLessThan(10);
            Thread.sleep(1000);
        } finally {
            storming.set(false);
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
            threads.shutdownNow();
            for (FleetProcess replica : replicas) {
                replica.close();
            }
        }
        assertThat(maxSlots.get()).as("backends holding a slot").isBetween(1, BUDGET);
        assertThat(maxActive.get()).as("backends running client queries at once").isBetween(1, BUDGET);
        assertThat(maxActiveWithoutSlot.get()).as("backends running client queries without a slot").isZero();
        assertThat(survivorFailures).as("failed clients of the surviving replicas").isEmpty();
    }

    private void stormOn(ExecutorService threads, FleetProcess replica, boolean survivor) {
        for (int c = 0; c < CLIENTS_PER_REPLICA; c++) {
            threads.execute(() -> storm(replica.port, survivor));
        }
    }

    private void storm(int port, boolean survivor) {
        while (storming.get()) {
            try (Connection c = FleetProcess.connect(port); Statement s = c.createStatement()) {
                while (storming.get()) {
                    s.execute(QUERY);
                }
            } catch (SQLException e) {
                if (survivor) {
                    survivorFailures.add(e.getSQLState() + " " + e.getMessage());
                }
                if (!survivor) {
                    return; // its pgmux was killed
                }
            }
        }
    }

    /** Samples PostgreSQL's view every 20 ms while the storm lasts. */
    private void sample() {
        String slots = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
                + " AND classid = " + LOCK_SPACE;
        String active = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = '" + QUERY + "'";
        String withoutSlot = active + " AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = pg_stat_activity.pid"
                + " AND l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = " + LOCK_SPACE + ")";
        try (Connection c = PostgresFixture.shared().connect(); Statement s = c.createStatement()) {
            while (storming.get()) {
                maxSlots.accumulateAndGet(count(s, slots), Math::max);
                maxActive.accumulateAndGet(count(s, active), Math::max);
                maxActiveWithoutSlot.accumulateAndGet(count(s, withoutSlot), Math::max);
                Thread.sleep(20);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Waits until {@code replicas} together hold at least {@code atLeast} logged-in backends. */
    private static void awaitServers(List<FleetProcess> replicas, int atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int servers = servers(replicas);
        while (servers < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
            servers = servers(replicas);
        }
        assertThat(servers).as("logged-in backends of the replicas").isGreaterThanOrEqualTo(atLeast);
    }

    /** pgmux_pool_servers of every replica, without those still connecting or logging in. */
    private static int servers(List<FleetProcess> replicas) throws IOException, InterruptedException {
        int sum = 0;
        for (FleetProcess replica : replicas) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.adminPort
                    + "/metrics")).build();
            for (String line : HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
                if (line.startsWith("pgmux_pool_servers{") && !line.contains("state=\"login\"")) {
                    sum += (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }
}
