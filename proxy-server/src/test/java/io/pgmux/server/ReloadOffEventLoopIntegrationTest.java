package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RELOAD reads the configuration on a thread of its own: a slow read (a configuration file on a slow disk) stalls
 * no client, even one on the very event loop of the console that asked, and the console answers when it is done.
 */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReloadOffEventLoopIntegrationTest {
    private final AtomicReference<String> readOn = new AtomicReference<>();
    private final CountDownLatch reading = new CountDownLatch(1);
    private final CountDownLatch mayFinish = new CountDownLatch(1);

    /** Reads like RELOAD does, noting the thread, and holds the first read until the test lets it go. */
    private final Function<String, PgmuxConfig> slowReader = yaml -> {
        readOn.set(Thread.currentThread().getName());
        reading.countDown();
        try {
            mayFinish.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ConfigLoader.fromYaml(yaml);
    };

    @Test
    void aSlowReloadStallsNoClientOfTheConsolesEventLoop() throws Exception {
        ExecutorService console = Executors.newSingleThreadExecutor();
        ExecutorService app = Executors.newSingleThreadExecutor();
        // One event loop: the console and the application client share it.
        try (OpsProxy proxy = OpsProxy.start("worker_threads: 1\n" + yaml(), slowReader);
             Connection client = proxy.connect(); Statement s = client.createStatement();
             Connection admin = proxy.connect("pgmux", proxy.pg.user(), proxy.pg.password());
             Statement c = admin.createStatement()) {
            assertThat(one(s, "SELECT 1")).isEqualTo(1);
            proxy.yaml.set(proxy.yaml.get().replace("default_pool_size: 2", "default_pool_size: 5"));
            Future<?> reload = console.submit(() -> c.execute("RELOAD"));
            assertThat(reading.await(10, TimeUnit.SECONDS)).as("RELOAD started reading").isTrue();

            Future<Integer> query = app.submit(() -> one(s, "SELECT 2"));
            assertThat(query.get(5, TimeUnit.SECONDS)).as("a query while the reload reads").isEqualTo(2);
            assertThat(reload).as("the console answers only when the reload is done").isNotDone();

            mayFinish.countDown();
            reload.get(10, TimeUnit.SECONDS);
            assertThat(readOn.get()).startsWith(Reloader.THREAD_NAME);
            assertThat(AdminConsoleIntegrationTest.firstRow(c, "SHOW DATABASES")).containsEntry("pool_size", "5");
        } finally {
            mayFinish.countDown();
            console.shutdownNow();
            app.shutdownNow();
        }
    }

    @Test
    void reloadOfTheServerAndOfSighupReadsOnTheReloadThread() throws Exception {
        mayFinish.countDown();
        try (OpsProxy proxy = OpsProxy.start(yaml(), slowReader)) {
            proxy.yaml.set(proxy.yaml.get().replace("default_pool_size: 2", "default_pool_size: 3"));
            proxy.server.reload(); // what the SIGHUP handler runs
            assertThat(readOn.get()).startsWith(Reloader.THREAD_NAME);
            assertThat(proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user()).limits().maxSize()).isEqualTo(3);
        }
    }

    @Test
    void aRejectedReloadIsReportedAndTheNextOneWorks() throws Exception {
        mayFinish.countDown();
        try (OpsProxy proxy = OpsProxy.start(yaml(), slowReader);
             Connection client = proxy.connect(); Statement s = client.createStatement();
             Connection admin = proxy.connect("pgmux", proxy.pg.user(), proxy.pg.password());
             Statement c = admin.createStatement()) {
            String good = proxy.yaml.get();
            proxy.yaml.set(good.replace("default_pool_size: 2", "default_pool_size: zero"));
            assertThatThrownBy(() -> c.execute("RELOAD")).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("F0000");
                assertThat(e.getMessage()).contains("default_pool_size").contains("the old one stays");
            });
            assertThat(AdminConsoleIntegrationTest.firstRow(c, "SHOW DATABASES")).containsEntry("pool_size", "2");
            assertThat(one(s, "SELECT 3")).isEqualTo(3);

            proxy.yaml.set(good.replace("default_pool_size: 2", "default_pool_size: 4"));
            c.execute("RELOAD");
            assertThat(AdminConsoleIntegrationTest.firstRow(c, "SHOW DATABASES")).containsEntry("pool_size", "4");
        }
    }

    private static String yaml() {
        PostgresFixture pg = PostgresFixture.shared();
        return OpsProxy.yaml("transaction", 2, "", pg.host(), pg.port());
    }

    private static int one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
