package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each client timeout, off at start-up, turned on by RELOAD: it applies to the clients already connected. The
 * sweeper reads the configuration in force at every sweep.
 */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReloadedTimeoutsIntegrationTest {

    @Test
    void clientIdleTimeoutTurnedOnEndsAConnectedIdleClient() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 2, "");
             Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            turnOn(proxy, "client_idle_timeout: 500ms");
            Thread.sleep(2000);
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(c.isValid(1)).isFalse();
        }
    }

    @Test
    void idleTransactionTimeoutTurnedOnEndsAnOpenTransaction() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 1, "")) {
            try (Connection setup = proxy.connect(); Statement s = setup.createStatement()) {
                s.execute("DROP TABLE IF EXISTS reloaded_idle_tx");
                s.execute("CREATE TABLE reloaded_idle_tx (x int)");
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO reloaded_idle_tx VALUES (1)");
                turnOn(proxy, "idle_transaction_timeout: 500ms");
                Thread.sleep(2000);
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM reloaded_idle_tx")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero(); // rolled back, and the only backend is free again
            }
        }
    }

    @Test
    void queryTimeoutTurnedOnCancelsTheNextLongQueryOfAConnectedClient() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 2, "");
             Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            turnOn(proxy, "query_timeout: 500ms");
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(20)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
            try (ResultSet rs = s.executeQuery("SELECT 'usable'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("usable");
            }
        }
    }

    @Test
    void queryWaitNotifyTurnedOnTellsAConnectedClientItIsQueued() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 1, "");
             Connection holder = proxy.connect(); Connection waiter = proxy.connect();
             Statement hs = holder.createStatement(); Statement ws = waiter.createStatement()) {
            ws.execute("SELECT 1");
            turnOn(proxy, "query_wait_notify: 300ms");
            SQLWarning warning = QueuedQuery.runBehind(hs, ws, 1500);
            assertThat(warning != null).as("a notice arrived as a warning").isTrue();
            assertThat(warning.getMessage()).contains("waiting for a server connection");
        }
    }

    /** RELOADs the proxy's configuration with {@code timeout} added to its timeouts section. */
    private static void turnOn(OpsProxy proxy, String timeout) {
        String yaml = proxy.yaml.get();
        assertThat(yaml).contains("timeouts:\n");
        proxy.yaml.set(yaml.replace("timeouts:\n", "timeouts:\n  " + timeout + "\n"));
        assertThat(proxy.server.reload()).noneMatch(change -> change.contains("needs a restart"));
    }
}
