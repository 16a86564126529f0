// SET and RESET of pgmux.wait_deadline as pgjdbc sends them: extended protocol, named statements after reuse.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.pool.Pool;
import io.pgmux.testing.Await;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGStatement;

@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExtendedWaitDeadlineIntegrationTest {
    /** Short, so that a deadline that was ignored shows as this timeout's error quickly. */
    private static final String WAIT = "query_wait_timeout: 10s";

    @Test
    void aSetSentInTheExtendedProtocolIsAnsweredByPgmuxAndApplies() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", WAIT).warmedUp();
             Connection holder = proxy.connect(); Connection client = proxy.connect()) {
            try (Statement s = client.createStatement()) {
                s.execute("SET pgmux.wait_deadline = '1500ms'");
            }
            assertThat(value(client, "SELECT current_setting('pgmux.wait_deadline', true)"))
                    .as("the SET never reached PostgreSQL").isNull();
            hold(holder);
            assertRefusedWithin(client, 1500);
            holder.commit();
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    @Test
    void preparedSetsAndResetsKeepApplyingOncePgjdbcNamesThem() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", WAIT).warmedUp();
             Connection holder = proxy.connect(); Connection client = proxy.connect(named())) {
            try (PreparedStatement set = client.prepareStatement("SET pgmux.wait_deadline = '1s'");
                 PreparedStatement reset = client.prepareStatement("RESET pgmux.wait_deadline")) {
                for (int i = 0; i < 7; i++) {
                    set.execute();
                    reset.execute();
                }
                assertThat(set.unwrap(PGStatement.class).isUseServerPrepare())
                        .as("pgjdbc prepared it under a name").isTrue();
                assertThat(reset.unwrap(PGStatement.class).isUseServerPrepare()).isTrue();
                assertThat(value(client, "SELECT 'between statements'")).isEqualTo("between statements");
                set.execute(); // a Bind of the named statement, on no backend's connection
            }
            hold(holder);
            assertRefusedWithin(client, 1000);
            holder.commit();
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    @Test
    void aResetThroughANamedStatementRemovesTheStartupDeadline() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Properties options = named();
        options.setProperty("options", "-c pgmux.wait_deadline=500ms");
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", WAIT).warmedUp();
             Connection holder = proxy.connect(); Connection client = proxy.connect(options)) {
            Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
            try (PreparedStatement reset = client.prepareStatement("RESET pgmux.wait_deadline")) {
                for (int i = 0; i < 7; i++) {
                    reset.execute();
                }
                assertThat(reset.unwrap(PGStatement.class).isUseServerPrepare()).isTrue();
            }
            hold(holder);
            Future<String> waiting = thread.submit(() -> value(client, "SELECT 'served after the holder'"));
            await("the client waits", () -> pool.stats().waiting() == 1);
            Thread.sleep(1500); // three times the deadline it had
            assertThat(waiting).as("still waiting, with no deadline").isNotDone();
            holder.commit();
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo("served after the holder");
            proxy.assertEveryBackendBackAndIdle();
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aBadValueInTheExtendedProtocolIs22023AndTheConnectionGoesOn() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", WAIT).warmedUp();
             Connection client = proxy.connect(named()); Statement s = client.createStatement()) {
            for (int i = 0; i < 7; i++) {
                assertThatThrownBy(() -> s.execute("SET pgmux.wait_deadline = 'soon'"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                                .isEqualTo("22023"))
                        .hasMessageContaining("invalid value for parameter \"pgmux.wait_deadline\": \"soon\"");
                assertThat(value(client, "SELECT 'still connected'")).isEqualTo("still connected");
            }
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    @Test
    void aSetAmongOtherStatementsOfASimpleQueryIsRefusedAndNothingRuns() throws Exception {
        Properties simple = new Properties();
        simple.setProperty("preferQueryMode", "simple");
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", WAIT).warmedUp();
             Connection client = proxy.connect(simple); Statement s = client.createStatement()) {
            for (String sql : new String[] {"CREATE TEMP TABLE never_made_here (x int); SET pgmux.wait_deadline = 1",
                "reset PGMUX.WAIT_DEADLINE; CREATE TEMP TABLE never_made_here (x int)"}) {
                assertThatThrownBy(() -> s.execute(sql))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                                .isEqualTo("0A000"))
                        .hasMessageContaining("cannot be set or reset among other statements");
            }
            assertThat(value(client, "SELECT to_regclass('pg_temp.never_made_here')::text"))
                    .as("no statement of the refused queries ran (on the pool's only backend)").isNull();
            s.execute("SELECT 'pgmux.wait_deadline'; SET LOCAL pgmux.wait_deadline = 1"); // PostgreSQL's
            s.execute("SET pgmux.wait_deadline = '2s'"); // alone, as before
        }
    }

    @Test
    void showGivesTheClientsDeadlineInBothProtocols() throws Exception {
        Properties options = named();
        options.setProperty("options", "-c pgmux.wait_deadline=1500ms");
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", WAIT).warmedUp();
             Connection client = proxy.connect(options); Statement s = client.createStatement()) {
            for (int i = 0; i < 7; i++) {
                assertThat(value(client, "SHOW pgmux.wait_deadline")).isEqualTo("1500ms");
            }
            s.execute("SET pgmux.wait_deadline = 60000");
            assertThat(value(client, "SHOW pgmux.wait_deadline")).isEqualTo("1min");
            s.execute("RESET pgmux.wait_deadline");
            assertThat(value(client, "show PGMUX.wait_deadline;")).isEqualTo("0");
            Properties simple = new Properties();
            simple.setProperty("preferQueryMode", "simple");
            simple.setProperty("options", "-c pgmux.wait_deadline=2s");
            try (Connection other = proxy.connect(simple)) {
                assertThat(value(other, "SHOW pgmux.wait_deadline")).isEqualTo("2s");
            }
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    /** pgjdbc's own default: statements used five times are prepared under a name. */
    private static Properties named() {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "5");
        return p;
    }

    /** The client's next query is refused with 57014 at its deadline, long before query_wait_timeout. */
    private static void assertRefusedWithin(Connection client, long deadlineMillis) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> value(client, "SELECT 'never served'"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                .hasMessageContaining("wait_deadline of " + deadlineMillis + " ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(deadlineMillis + 4000);
    }

    private static void hold(Connection holder) throws SQLException {
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("SELECT 1"); // holds the only backend inside a transaction
        }
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }
}
