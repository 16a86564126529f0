package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RELOAD under load loses no transaction; SIGTERM lets transactions in progress finish, then exits 0. */
@DetectLeaks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DrainIntegrationTest {
    private static final int CLIENTS = 500;
    private final PostgresFixture pg = PostgresFixture.shared();

    @Test
    void reloadUnderLoadLosesNoTransaction() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 10, "")) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS reload_load");
                s.execute("CREATE TABLE reload_load (client int, n int)");
            }
            CountDownLatch allIn = new CountDownLatch(CLIENTS);
            ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> done = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    int client = i;
                    done.add(threads.submit(() -> twoTransactions(proxy, client, allIn)));
                }
                String base = proxy.yaml.get();
                int reloads = 0;
                while (done.stream().anyMatch(f -> !f.isDone()) && reloads < 200) {
                    proxy.yaml.set(base.replace("default_pool_size: 10", "default_pool_size: " + (reloads % 2 == 0
                            ? 6 : 10)));
                    proxy.server.reload();
                    reloads++;
                    Thread.sleep(50);
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
                assertThat(reloads).isGreaterThan(1);
            } finally {
                threads.shutdownNow();
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT client) FROM reload_load")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(CLIENTS * 4);
                assertThat(rs.getInt(2)).isEqualTo(CLIENTS);
            }
        }
    }

    @Test
    void drainLetsTheOpenTransactionCommitAndRefusesNewClients() throws Exception {
        OpsProxy proxy = OpsProxy.start("transaction", 2, "shutdown_timeout: 20s");
        try (Connection setup = proxy.connect(); Statement s = setup.createStatement()) {
            s.execute("DROP TABLE IF EXISTS drained");
            s.execute("CREATE TABLE drained (v int)");
        }
        try (Connection inTx = proxy.connect(); Statement tx = inTx.createStatement()) {
            inTx.setAutoCommit(false);
            tx.execute("INSERT INTO drained VALUES (1)");
            CompletableFuture<Void> drain = CompletableFuture.runAsync(proxy.server::drainAndClose);
            Thread.sleep(300);
            assertThat(drain).as("the drain waits for the open transaction").isNotDone();
            assertThatThrownBy(proxy::connect).isInstanceOf(SQLException.class);
            tx.execute("INSERT INTO drained VALUES (2)");
            inTx.commit();
            drain.get(20, TimeUnit.SECONDS);
        } catch (SQLException e) {
            // the connection closes with the server once the commit went through
        } finally {
            proxy.close();
        }
        try (Connection direct = pg.connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM drained")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void sigtermDrainsThenExitsZero() throws Exception {
        Path jar = Path.of("target", "pgmux.jar");
        assertThat(jar).as("the shaded jar is built in the package phase, before the integration tests").exists();
        int port = FreePorts.find();
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--backend", "postgresql://" + pg.user() + ":" + pg.password() + "@"
                + pg.host() + ":" + pg.port() + "/" + pg.database(), "--listen", "127.0.0.1:" + port,
                "--pool-mode", "transaction", "--pool-size", "2")
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("pgmux", ".log").toFile());
        launch.environment().put("PGMUX_WARMUP", "0"); // this test is about stopping; the warm-up would only add CPU
        Process pgmux = launch.start();
        try {
            try (Connection setup = awaitConnect(port); Statement s = setup.createStatement()) {
                s.execute("DROP TABLE IF EXISTS sigterm_drained");
                s.execute("CREATE TABLE sigterm_drained (v int)");
            }
            try (Connection inTx = awaitConnect(port); Statement tx = inTx.createStatement()) {
                inTx.setAutoCommit(false);
                tx.execute("INSERT INTO sigterm_drained VALUES (1)");
                pgmux.destroy(); // SIGTERM
                Thread.sleep(500);
                assertThat(pgmux.isAlive()).as("pgmux waits for the open transaction").isTrue();
                tx.execute("INSERT INTO sigterm_drained VALUES (2)");
                inTx.commit();
            } catch (SQLException e) {
                // closing after the commit may race with the shutdown
            }
            assertThat(pgmux.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pgmux.exitValue()).isZero();
        } finally {
            pgmux.destroyForcibly();
        }
        try (Connection direct = pg.connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sigterm_drained")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    private Connection awaitConnect(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("prepareThreshold", "0");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + pg.database(), p);
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static Void twoTransactions(OpsProxy proxy, int client, CountDownLatch allIn) throws Exception {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            allIn.countDown();
            allIn.await(60, TimeUnit.SECONDS);
            for (int n = 0; n < 2; n++) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO reload_load VALUES (" + client + ", " + n + ")");
                s.execute("SELECT pg_sleep(0.01)");
                s.execute("INSERT INTO reload_load VALUES (" + client + ", " + (n + 10) + ")");
                c.commit();
            }
        }
        return null;
    }
}
