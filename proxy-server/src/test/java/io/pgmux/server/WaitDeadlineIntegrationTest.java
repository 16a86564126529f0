// pgmux.wait_deadline through a running pgmux: refused at once when it cannot be met, answered when it passes.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.pool.Pool;
import io.pgmux.testing.Await;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WaitDeadlineIntegrationTest {

    @Test
    void aDeadlineStatedAtStartupThatPassesWhileWaitingIsAnsweredWith57014() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1).warmedUp()) {
            Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
            try (Connection holder = proxy.connect(); Connection late = withOptions(proxy,
                    "-c pgmux.wait_deadline=1s")) {
                hold(holder);
                assertThatThrownBy(() -> value(late, "SELECT 'served'"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                                .isEqualTo("57014"))
                        .hasMessageContaining("became free within this client's wait_deadline of 1000 ms");
                assertThat(pool.stats().waiting()).as("the client left the queue").isZero();
                assertThat(value(holder, "SELECT 'holder still holds'")).isEqualTo("holder still holds");
                holder.commit();
            }
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    @Test
    void setAndResetOfTheDeadlineAreAnsweredByPgmuxAndApply() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1).warmedUp()) {
            try (Connection holder = proxy.connect(); Connection client = simpleQueries(proxy)) {
                try (Statement s = client.createStatement()) {
                    s.execute("SET pgmux.wait_deadline = '1500ms'");
                }
                assertThat(value(client, "SELECT current_setting('pgmux.wait_deadline', true)"))
                        .as("the SET never reached PostgreSQL").isNull();
                hold(holder);
                assertThatThrownBy(() -> value(client, "SELECT 1"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                                .isEqualTo("57014"))
                        .hasMessageContaining("wait_deadline of 1500 ms");
                holder.commit();
            }
            try (Connection client = simpleQueries(proxy); Statement s = client.createStatement()) {
                s.execute("SET pgmux.wait_deadline TO 2s");
                s.execute("RESET pgmux.wait_deadline");
                assertThatThrownBy(() -> s.execute("SET pgmux.wait_deadline = 'soon'"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                                .isEqualTo("22023"));
                assertThat(value(client, "SELECT 'still connected'")).isEqualTo("still connected");
            }
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    @Test
    void aDeadlineThatTheQueueCannotMeetIsRefusedAtOnceWithThePredictedWait() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (TestProxy proxy = TestProxy.start("transaction", 1).warmedUp()) {
            Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
            try (Connection holder = proxy.connect(); Connection hurried = withOptions(proxy,
                    "-c pgmux.wait_deadline=1s")) {
                // Teach pgmux the hand-over rate: six clients queue for the one backend, then each holds it at
                // least 300 ms while the others wait, so every interval measured is 300 ms or more.
                hold(holder);
                List<Future<?>> teaching = submitAll(threads, proxy, 6, "SELECT pg_sleep(0.3)");
                await("the teaching clients wait", () -> pool.stats().waiting() == 6);
                holder.commit();
                for (Future<?> f : teaching) {
                    f.get(60, TimeUnit.SECONDS);
                }
                hold(holder);
                List<Future<?>> queued = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    queued.add(threads.submit(() -> {
                        try (Connection c = proxy.connect()) {
                            return value(c, "SELECT 1");
                        }
                    }));
                }
                await("six clients wait", () -> pool.stats().waiting() == 6);

                assertThatThrownBy(() -> value(hurried, "SELECT 'hurried'"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                                .isEqualTo("57014"))
                        .hasMessageContaining("is predicted at").hasMessageContaining("queue position 7")
                        .hasMessageContaining("beyond this client's wait_deadline of 1000 ms");
                assertThat(pool.stats().waiting()).as("refused while the holder still held the backend: the"
                        + " clients queued before it are all still waiting").isEqualTo(6);
                holder.commit();
                for (Future<?> f : queued) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            proxy.assertEveryBackendBackAndIdle();
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<Future<?>> submitAll(ExecutorService threads, TestProxy proxy, int clients, String sql) {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            running.add(threads.submit(() -> {
                try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                return null;
            }));
        }
        return running;
    }

    private static void hold(Connection holder) throws SQLException {
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("SELECT 1"); // holds the only backend inside a transaction
        }
    }

    /** pgmux answers these SETs in the simple query protocol, which is how drivers send a SET without parameters. */
    private static Connection simpleQueries(TestProxy proxy) throws SQLException {
        Properties p = new Properties();
        p.setProperty("preferQueryMode", "simple");
        return proxy.connect(p);
    }

    private static Connection withOptions(TestProxy proxy, String options) throws SQLException {
        Properties p = new Properties();
        p.setProperty("options", options);
        return proxy.connect(p);
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
