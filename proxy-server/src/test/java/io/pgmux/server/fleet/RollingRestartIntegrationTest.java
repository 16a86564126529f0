package io.pgmux.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart as Kubernetes or systemd makes it: a new pgmux binds the port of the running one with
 * SO_REUSEPORT, the old one gets SIGTERM, reports not ready for shutdown_grace while still accepting, then drains
 * and exits. Short-lived clients connecting all along are never refused and never fail.
 */
@DetectLeaks
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RollingRestartIntegrationTest {
    private static final String FLEET = """
            so_reuseport: true
            shutdown_grace: 1500ms
            """;

    @Test
    void restartUnderSteadyLoadRefusesNoClient() throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS rolling_restart");
            s.execute("CREATE TABLE rolling_restart (client int, n int)");
        }
        int port = FreePorts.find();
        try (FleetProcess old = FleetProcess.start(port, 4, FLEET)) {
            int before;
            int during;
            int after;
            try (SteadyLoad load = SteadyLoad.start(6, port, "rolling_restart")) {
                awaitTransactions(load, 100);
                try (FleetProcess next = FleetProcess.start(port, 4, FLEET)) {
                    before = load.transactions();
                    old.terminate();
                    old.awaitHealth("/health/ready", 503, Duration.ofSeconds(5));
                    assertThat(old.isAlive()).as("the old pgmux still serves during shutdown_grace").isTrue();
                    assertThat(old.awaitExit(Duration.ofSeconds(30))).as("old pgmux exit code\n" + old.logTail())
                            .isZero();
                    during = load.transactions();
                    awaitTransactions(load, during + 100);
                    after = load.transactions();
                    assertThat(next.health("/health/ready")).isEqualTo(200);
                    load.close(); // before the new pgmux stops, which would refuse the clients still running
                }
                assertThat(load.failures()).as("failed clients").isEmpty();
            }
            assertThat(during).as("clients kept committing while the old pgmux left").isGreaterThan(before);
            assertThat(after).isGreaterThan(during);
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM rolling_restart")) {
            rs.next();
            assertThat(rs.getInt(1)).as("every committed transaction is in the table").isGreaterThan(200);
        }
    }

    private static void awaitTransactions(SteadyLoad load, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (load.transactions() < atLeast && load.failures().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(load.failures()).as("failed clients").isEmpty();
        assertThat(load.transactions()).isGreaterThanOrEqualTo(atLeast);
    }
}
