package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.pool.Pool;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A pgmux server in front of the shared test PostgreSQL, on a free 127.0.0.1 port. */
final class TestProxy implements AutoCloseable {
    final PostgresFixture pg = PostgresFixture.shared();
    final PgmuxServer server;

    private TestProxy(PgmuxConfig config) throws InterruptedException {
        this.server = new PgmuxServer(config).start();
    }

    /** Starts pgmux with the given pool mode and size; {@code extraYaml} is appended to the generated config. */
    static TestProxy start(String mode, int poolSize, String authType, String poolExtras, String timeouts)
            throws InterruptedException {
        return start(mode, poolSize, authType, poolExtras, timeouts, "");
    }

    /** Like {@link #start(String, int, String, String, String)}, with {@code topLevel} keys added to the config. */
    static TestProxy start(String mode, int poolSize, String authType, String poolExtras, String timeouts,
                           String topLevel) throws InterruptedException {
        PostgresFixture pg = PostgresFixture.shared();
        String yaml = topLevel.strip() + "\n" + """
                listen: 127.0.0.1:0
                auth_type: %s
                pool:
                  mode: %s
                  default_pool_size: %d
                %s
                timeouts:
                  server_connect_timeout: 10s
                %s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                  %s:
                    password: %s
                """.formatted(authType, mode, poolSize, indent(poolExtras), indent(withDefaultWait(timeouts)),
                pg.database(), pg.host(),
                pg.port(), pg.user(), pg.password(), pg.md5User(), pg.md5Password());
        return new TestProxy(ConfigLoader.fromYaml(yaml));
    }

    static TestProxy start(String mode, int poolSize) throws InterruptedException {
        return start(mode, poolSize, "md5", "", "");
    }

    /** Tests wait up to 60 s for a backend unless they set their own query_wait_timeout. */
    private static String withDefaultWait(String timeouts) {
        String given = timeouts == null ? "" : timeouts;
        return given.contains("query_wait_timeout") ? given : given + "\nquery_wait_timeout: 60s";
    }

    private static String indent(String lines) {
        return lines == null || lines.isBlank() ? "" : lines.strip().indent(2).stripTrailing();
    }

    /**
     * Logs the pool's first backend in. That first login goes through a backend within query_wait_timeout, which
     * some tests keep short; on a busy machine it may need another try. Later clients log in without a backend.
     */
    TestProxy warmedUp() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connect()) {
                return this;
            } catch (SQLException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    int port() {
        return server.port();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + pg.database();
    }

    Connection connect() throws SQLException {
        return connect(new Properties());
    }

    /**
     * A pgjdbc connection through pgmux, with unnamed statements only (prepareThreshold=0) unless the test asks
     * otherwise: pgjdbc names its statements (even its own BEGIN and COMMIT) after a few uses, and tests of pinning
     * and pool limits should not depend on how named statements are tracked.
     */
    Connection connect(Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("prepareThreshold", "0");
        p.putAll(extra);
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    /**
     * True when a new client can log in and query within the proxy's query_wait_timeout: with a pool of one
     * backend, that means the backend is not pinned. A failure must be that timeout, nothing else.
     */
    boolean anotherClientGetsIn() {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            assertThat(e.getMessage()).contains("query_wait_timeout");
            assertThat(e.getSQLState()).isEqualTo("08P01");
            return false;
        }
    }

    /**
     * Asserts that no client has harmed the pool: within 15 s every backend is back and idle in it (a backend given
     * back inside a transaction is "used" while its ROLLBACK runs), no client waits, and PostgreSQL shows none of
     * this user's sessions busy or inside a transaction.
     */
    void assertEveryBackendBackAndIdle() throws Exception {
        Pool pool = server.pools().pool(pg.database(), pg.user());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((pool.stats().active() > 0 || pool.stats().used() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.stats().active()).as("backends still lent; on the server: %s; clients connected: %d",
                serverActivity(), server.connectedClients()).isZero();
        assertThat(pool.stats().used()).as("backends still being cleaned up").isZero();
        assertThat(pool.stats().waiting()).as("clients still waiting").isZero();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state <> 'idle'"
                     + " AND pid <> pg_backend_pid() AND datname = current_database() AND usename = current_user")) {
            rs.next();
            assertThat(rs.getInt(1)).as("backends busy or in a transaction").isZero();
        }
    }

    /** What the test database's other sessions are doing, for a failure message. */
    private String serverActivity() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid, state, left(query, 60) FROM pg_stat_activity"
                     + " WHERE pid <> pg_backend_pid() AND datname = current_database()")) {
            while (rs.next()) {
                out.append('[').append(rs.getInt(1)).append(' ').append(rs.getString(2)).append(' ')
                        .append(rs.getString(3)).append(']');
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
