package io.pgmux.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three pgmux replicas with peers behind a round-robin TCP forwarder, as behind a Service: pgjdbc's
 * Statement.cancel() opens a new connection, which here always lands on another replica than the query's; the
 * replicas forward it to the issuer of the key, and every query is cancelled.
 */
@DetectLeaks
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CancelAcrossPeersIntegrationTest {
    private static final int QUERIES = 6;

    @Test
    void everyQueryIsCancelledWhicheverReplicaTheCancelReaches() throws Exception {
        int[] ports = {FreePorts.find(), FreePorts.find(), FreePorts.find()};
        StringBuilder peers = new StringBuilder("peers:\n");
        for (int i = 0; i < ports.length; i++) {
            peers.append("  ").append(i + 1).append(": 127.0.0.1:").append(ports[i]).append('\n');
        }
        List<FleetProcess> replicas = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(QUERIES);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                replicas.add(FleetProcess.start(ports[i], QUERIES, "peer_id: " + (i + 1) + "\n" + peers));
            }
            try (RoundRobinForwarder service = new RoundRobinForwarder(List.of(ports[0], ports[1], ports[2]))) {
                List<Statement> statements = new ArrayList<>();
                List<CompletableFuture<String>> outcomes = new ArrayList<>();
                for (int i = 0; i < QUERIES; i++) {
                    Connection c = FleetProcess.connect(service.port());
                    connections.add(c);
                    Statement s = c.createStatement();
                    statements.add(s);
                    outcomes.add(CompletableFuture.supplyAsync(() -> sleepOutcome(s), threads));
                }
                awaitSleepers(QUERIES);
                // The queries went to replicas 1, 2, 3, 1, 2, 3; one more connection shifts the turn, so that every
                // cancel reaches another replica than its query (2, 3, 1, ...), never the one holding the key.
                FleetProcess.connect(service.port()).close();
                for (Statement s : statements) {
                    s.cancel();
                }
                for (CompletableFuture<String> outcome : outcomes) {
                    assertThat(outcome.get(20, TimeUnit.SECONDS)).as("SQLSTATE of the cancelled query")
                            .isEqualTo("57014");
                }
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            threads.shutdownNow();
            for (FleetProcess replica : replicas) {
                replica.close();
            }
        }
    }

    private static String sleepOutcome(Statement s) {
        try {
            s.execute("SELECT pg_sleep(60)");
            return "not cancelled";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    /** Waits until {@code count} pg_sleep queries run on PostgreSQL. */
    private static void awaitSleepers(int count) throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'")) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("pg_sleep queries running").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }
}
