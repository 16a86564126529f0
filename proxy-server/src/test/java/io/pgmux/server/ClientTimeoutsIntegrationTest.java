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

/** client_idle_timeout, idle_transaction_timeout, query_timeout and query_wait_notify, each against a real backend. */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClientTimeoutsIntegrationTest {

    @Test
    void idleClientIsDisconnected() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 2, "md5", "", "client_idle_timeout: 500ms");
             Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            Thread.sleep(1500);
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertServes(proxy);
        }
    }

    @Test
    void idleTransactionIsRolledBackAndTheClientDisconnected() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "idle_transaction_timeout: 500ms")) {
            try (Connection setup = proxy.connect(); Statement s = setup.createStatement()) {
                s.execute("DROP TABLE IF EXISTS idle_tx");
                s.execute("CREATE TABLE idle_tx (x int)");
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO idle_tx VALUES (1)");
                Thread.sleep(1500);
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM idle_tx")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero(); // rolled back, and the only backend is free again
            }
        }
    }

    @Test
    void longQueryIsCancelledAndTheClientStaysUsable() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 2, "md5", "", "query_timeout: 500ms");
             Connection c = proxy.connect(); Statement s = c.createStatement()) {
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
    void waitingClientIsToldItIsQueued() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "query_wait_notify: 300ms");
             Connection holder = proxy.connect(); Connection waiter = proxy.connect();
             Statement hs = holder.createStatement(); Statement ws = waiter.createStatement()) {
            SQLWarning warning = QueuedQuery.runBehind(hs, ws, 1200);
            assertThat(warning != null).as("a notice arrived as a warning").isTrue();
            assertThat(warning.getMessage()).contains("waiting for a server connection").contains("queue position 1");
        }
    }

    @Test
    void clientThatNeverLogsInIsDropped() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 2, "md5", "", "client_login_timeout: 500ms");
             RawClient silent = new RawClient(proxy.port()); RawClient halfway = new RawClient(proxy.port())) {
            halfway.sendStartup(proxy.pg.user(), proxy.pg.database()); // gets the md5 challenge, never answers
            assertThat(halfway.read().type()).isEqualTo('R');
            long start = System.nanoTime();
            assertThat(silent.closedByServer()).isTrue();
            assertThat(halfway.readUntil('E').fields()).containsEntry('C', "08P01");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            assertServes(proxy);
        }
    }

    private static void assertServes(TestProxy proxy) throws SQLException {
        try (Connection c = proxy.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }
}
