// The pool limits seen by real pgjdbc clients through a running pgmux: shared database limit, failing logins, minimum.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.pool.ConnectionBudget;
import io.pgmux.pool.Pool;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolLimitsIntegrationTest {
    private static final PostgresFixture PG = PostgresFixture.shared();

    @Test
    void databaseLimitIsSharedByTheUsersOfTheDatabase() throws Exception {
        try (PgmuxServer server = start("""
                pool: {mode: transaction, default_pool_size: 5, max_db_connections: 1}
                timeouts: {query_wait_timeout: 30s}
                """)) {
            try (Connection scram = connect(server, "app", PG.user(), PG.password())) {
                scram.setAutoCommit(false);
                try (Statement s = scram.createStatement()) {
                    s.execute("SELECT 1"); // holds the database's only backend inside a transaction
                }
                ConnectionBudget budget = server.pools().databaseBudget("app");
                AtomicBoolean sampling = new AtomicBoolean(true);
                AtomicInteger maxUsed = new AtomicInteger();
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        maxUsed.accumulateAndGet(budget.used(), Math::max);
                        Thread.onSpinWait();
                    }
                });
                sampler.start();
                CompletableFuture<String> md5 = CompletableFuture.supplyAsync(() -> {
                    try (Connection c = connect(server, "app", PG.md5User(), PG.md5Password());
                         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'second user'")) {
                        rs.next();
                        return rs.getString(1);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(700);
                assertThat(md5).as("the other user waits for the database's slot").isNotDone();

                scram.commit(); // the backend goes idle in the first user's pool and is evicted for the waiter
                assertThat(md5.get(10, TimeUnit.SECONDS)).isEqualTo("second user");
                sampling.set(false);
                sampler.join();
                assertThat(maxUsed.get()).isEqualTo(1);
            }
        }
    }

    @Test
    void clientsOfADatabaseWhoseServerLoginFailsGetTheErrorWithoutWaiting() throws Exception {
        try (PgmuxServer server = start("""
                pool: {default_pool_size: 2}
                timeouts: {query_wait_timeout: 30s, server_login_retry: 10s}
                """)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> connect(server, "locked", PG.user(), PG.password()).close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"))
                    .hasMessageNotContaining("has been failing");
            assertThatThrownBy(() -> connect(server, "locked", PG.user(), PG.password()).close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"))
                    .hasMessageContaining("server login has been failing");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
            Pool locked = server.pools().pool("locked", PG.user());
            assertThat(locked.counters().connectAttempts()).isEqualTo(1);
        }
    }

    @Test
    void minimumIsOpenedBehindTheFirstClient() throws Exception {
        try (PgmuxServer server = start("""
                pool: {default_pool_size: 5, min_pool_size: 3}
                """)) {
            try (Connection c = connect(server, "app", PG.user(), PG.password()); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                Pool pool = server.pools().pool("app", PG.user());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pool.stats().total() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(pool.stats().total()).isEqualTo(3);
                assertThat(pool.counters().waits()).as("only the first client waited for a login").isEqualTo(1);
            }
        }
    }

    /** pgmux on a free port with databases {@code app} (the test database) and {@code locked} (wrong password). */
    private static PgmuxServer start(String sections) throws InterruptedException {
        String yaml = """
                listen: 127.0.0.1:0
                auth_type: md5
                %s
                databases:
                  app: {host: %s, port: %d, dbname: %s}
                  locked: {host: %s, port: %d, dbname: %s, user: %s, password: not-the-password}
                users:
                  %s: {password: "%s"}
                  %s: {password: "%s"}
                """.formatted(sections.strip(), PG.host(), PG.port(), PG.database(), PG.host(), PG.port(),
                PG.database(), PG.md5User(), PG.user(), PG.password(), PG.md5User(), PG.md5Password());
        return new PgmuxServer(ConfigLoader.fromYaml(yaml)).start();
    }

    /** Unnamed statements only, so that no client pins its backend and only the limits decide who waits. */
    private static Connection connect(PgmuxServer server, String database, String user, String password)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("prepareThreshold", "0");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database, p);
    }
}
