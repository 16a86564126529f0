// A read-only alias served by two streaming standbys: reads spread over both, and a standby that stops is skipped.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PrivatePostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code target_session_attrs: standby} over a primary and two standbys made from copies of its data directory:
 * no read reaches the primary, both standbys serve, and stopping one mid-load costs no client an error that was
 * not running a statement on it.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadReplicasIntegrationTest {
    private static final int CLIENTS = 8;

    @Test
    void readsSpreadOverTheStandbysAndAStoppedStandbyIsSkipped() throws Exception {
        try (PrivatePostgres primary = PrivatePostgres.start();
             PrivatePostgres first = primary.standbyCopy();
             PrivatePostgres second = primary.standbyCopy();
             PgmuxServer pgmux = new PgmuxServer(ConfigLoader.fromYaml("""
                     listen: 127.0.0.1:0
                     auth_type: trust
                     pool: {mode: transaction, default_pool_size: 4}
                     timeouts: {server_connect_timeout: 2s, query_wait_timeout: 60s}
                     databases:
                       app_ro:
                         hosts: [127.0.0.1:%d, 127.0.0.1:%d, 127.0.0.1:%d]
                         dbname: %s
                         user: %s
                         target_session_attrs: standby
                     """.formatted(primary.port(), first.port(), second.port(), PrivatePostgres.DATABASE,
                     PrivatePostgres.USER))).start()) {
            Map<Integer, LongAdder> byPort = new ConcurrentHashMap<>();
            AtomicInteger errors = new AtomicInteger();
            runReads(pgmux, 10_000, byPort, errors, null);
            long onFirst = count(byPort, first.port());
            long onSecond = count(byPort, second.port());
            System.out.printf("[replicas] 10000 reads: %d on the first standby, %d on the second, %d on the primary%n",
                    onFirst, onSecond, count(byPort, primary.port()));
            assertThat(count(byPort, primary.port())).as("no read on the primary").isZero();
            assertThat(errors.get()).isZero();
            assertThat(onFirst).as("the first standby serves").isGreaterThan(1000);
            assertThat(onSecond).as("the second standby serves").isGreaterThan(1000);

            byPort.clear();
            runReads(pgmux, 4_000, byPort, errors, () -> first.stop());
            System.out.printf("[replicas] a standby stopped mid-load: %d errors (statements running on it)%n",
                    errors.get());
            assertThat(errors.get()).as("at most the statements running on the stopped standby failed")
                    .isLessThanOrEqualTo(4);
            assertThat(count(byPort, second.port())).isGreaterThan(1000);
            assertThat(count(byPort, primary.port())).isZero();
        }
    }

    /** {@code total} autocommit reads over {@link #CLIENTS} clients; {@code midway} runs once halfway. */
    private static void runReads(PgmuxServer pgmux, int total, Map<Integer, LongAdder> byPort, AtomicInteger errors,
                                 ThrowingRunnable midway) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(threads.submit(() -> {
                try (Connection c = connect(pgmux); Statement s = c.createStatement()) {
                    while (done.getAndIncrement() < total) {
                        try (ResultSet rs = s.executeQuery("SELECT inet_server_port()")) {
                            rs.next();
                            byPort.computeIfAbsent(rs.getInt(1), p -> new LongAdder()).increment();
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        if (midway != null) {
            while (done.get() < total / 2) {
                Thread.sleep(5);
            }
            midway.run();
        }
        for (Future<?> client : clients) {
            client.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static long count(Map<Integer, LongAdder> byPort, int port) {
        LongAdder adder = byPort.get(port);
        return adder == null ? 0 : adder.sum();
    }

    private static Connection connect(PgmuxServer pgmux) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PrivatePostgres.USER);
        p.setProperty("prepareThreshold", "0");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgmux.port() + "/app_ro", p);
    }
}
