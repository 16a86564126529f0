// PgBouncer's per-database and per-user limits through a running pgmux against PostgreSQL.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.pgmux.config.ConfigLoader;
import io.pgmux.config.TcpKeepalive;
import io.pgmux.pool.KeepaliveOptions;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolAdmin;
import io.pgmux.protocol.transport.Transport;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PerDatabaseSettingsIntegrationTest {
    private static final PostgresFixture PG = PostgresFixture.shared();
    private PgmuxServer server;

    /**
     * Names for the test database: {@code capped} with limits of its own, {@code wide} and {@code other} without,
     * {@code warmed} and {@code broken} with a connect_query that works and one that fails; the md5 user has a
     * client limit and a query_timeout of its own. Sockets get keepalive timings.
     */
    @BeforeEach
    void start() throws InterruptedException {
        server = new PgmuxServer(ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                tcp_keepidle: 42
                tcp_keepcnt: 3
                auth_type: md5
                admin_users: [%1$s]
                pool: {mode: transaction, default_pool_size: 4, max_db_connections: 3}
                timeouts: {query_wait_timeout: 60s}
                databases:
                  capped: {host: %3$s, port: %4$d, dbname: %5$s, pool_size: 5, max_db_connections: 2,
                           max_db_client_connections: 6, min_pool_size: 1}
                  wide: {host: %3$s, port: %4$d, dbname: %5$s}
                  other: {host: %3$s, port: %4$d, dbname: %5$s}
                  warmed: {host: %3$s, port: %4$d, dbname: %5$s, pool_size: 2,
                           connect_query: "SELECT set_config('pgmux_test.warmed', 'yes', false)"}
                  broken: {host: %3$s, port: %4$d, dbname: %5$s, connect_query: "SELECT 1/0"}
                  auckland: {host: %3$s, port: %4$d, dbname: %5$s, timezone: Pacific/Auckland,
                             datestyle: "SQL, DMY"}
                users:
                  %1$s: {password: "%2$s"}
                  %6$s: {password: "%7$s", max_user_client_connections: 1, query_timeout: 500ms}
                """.formatted(PG.user(), PG.password(), PG.host(), PG.port(), PG.database(), PG.md5User(),
                PG.md5Password()))).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection connect(String database, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("prepareThreshold", "0");
        if (database.equals("pgbouncer")) {
            p.setProperty("preferQueryMode", "simple");
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database, p);
    }

    private Connection connect(String database) throws SQLException {
        return connect(database, PG.user(), PG.password());
    }

    @Test
    void aClientOverTheDatabasesClientLimitIsRefusedWith53300AndTheNextOneGetsInOnceOneLeft() throws Exception {
        List<Connection> six = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                six.add(connect("capped"));
            }
            assertThatThrownBy(() -> connect("capped").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53300"))
                    .hasMessageContaining("client connections exceeded (max_db_client_connections)");
            try (Connection wide = connect("wide")) {
                assertThat(wide.isValid(5)).as("another database has no such limit").isTrue();
            }
            six.remove(0).close();
            Connection again = awaitLogin("capped", PG.user(), PG.password());
            six.add(again);
            assertThat(again.isValid(5)).isTrue();
        } finally {
            for (Connection c : six) {
                c.close();
            }
        }
    }

    @Test
    void aUsersClientLimitHoldsAcrossDatabases() throws Exception {
        try (Connection first = connect("wide", PG.md5User(), PG.md5Password())) {
            assertThatThrownBy(() -> connect("other", PG.md5User(), PG.md5Password()).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53300"))
                    .hasMessageContaining("client connections exceeded (max_user_client_connections)");
            try (Connection another = connect("other")) {
                assertThat(another.isValid(5)).as("another user has no such limit").isTrue();
            }
            assertThat(first.isValid(5)).isTrue();
        }
        try (Connection afterwards = awaitLogin("other", PG.md5User(), PG.md5Password())) {
            assertThat(afterwards.isValid(5)).isTrue();
        }
    }

    @Test
    void theDatabasesOwnBackendLimitHoldsUnderLoadAndTheConsoleShowsItsSettings() throws Exception {
        int clients = 6; // max_db_client_connections
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> work = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                work.add(threads.submit(() -> {
                    try (Connection c = connect("capped"); Statement s = c.createStatement()) {
                        for (int q = 0; q < 10; q++) {
                            s.execute("SELECT pg_sleep(0.01)");
                        }
                        return 10;
                    }
                }));
            }
            int peak = 0;
            Pool pool = server.pools().pool("capped", PG.user());
            for (int i = 0; i < 2000 && !work.stream().allMatch(Future::isDone); i++) {
                peak = Math.max(peak, pool.stats().total());
                Thread.sleep(2);
            }
            for (Future<Integer> f : work) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(10);
            }
            assertThat(peak).as("the database's own max_db_connections, not pool_size 5").isEqualTo(2);
            assertThat(server.pools().databaseBudget("capped").used()).isLessThanOrEqualTo(2);
        } finally {
            threads.shutdownNow();
        }

        try (Connection console = connect("pgbouncer"); Statement c = console.createStatement();
             ResultSet rs = c.executeQuery("SHOW DATABASES")) {
            boolean seen = false;
            while (rs.next()) {
                if (rs.getString("name").equals("capped")) {
                    seen = true;
                    assertThat(rs.getInt("pool_size")).isEqualTo(5);
                    assertThat(rs.getInt("min_pool_size")).isEqualTo(1);
                    assertThat(rs.getInt("max_connections")).isEqualTo(2);
                    assertThat(rs.getInt("max_client_connections")).isEqualTo(6);
                } else if (rs.getString("name").equals("wide")) {
                    assertThat(rs.getInt("max_connections")).isEqualTo(3);
                    assertThat(rs.getInt("min_pool_size")).isZero();
                }
            }
            assertThat(seen).isTrue();
        }
        try (Connection console = connect("pgbouncer"); Statement c = console.createStatement();
             ResultSet rs = c.executeQuery("SHOW USERS")) {
            while (rs.next()) {
                if (rs.getString("name").equals(PG.md5User())) {
                    assertThat(rs.getInt("max_user_client_connections")).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void theConnectQueryRunsOnEveryNewBackendBeforeAnyClientUsesIt() throws Exception {
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Connection c = connect("warmed");
                c.setAutoCommit(false); // each holds its own backend: both of the pool's backends are opened
                clients.add(c);
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT current_setting('pgmux_test.warmed', true)")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("set on backend " + i).isEqualTo("yes");
                }
            }
            assertThat(server.pools().pool("warmed", PG.user()).stats().total()).isEqualTo(2);
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
        try (Connection wide = connect("wide"); Statement s = wide.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(current_setting('pgmux_test.warmed', true), '')")) {
            rs.next();
            assertThat(rs.getString(1)).as("another database's backends run no connect_query").isEmpty();
        }
    }

    @Test
    void aFailingConnectQueryReachesTheClientWithTheServersError() {
        assertThatThrownBy(() -> {
            try (Connection c = connect("broken"); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
        }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"))
                .hasMessageContaining("connect_query of database \"broken\" failed: division by zero");
        assertThat(server.pools().pool("broken", PG.user()).stats().total()).as("the backend was closed").isZero();
    }

    @Test
    void aUsersOwnQueryTimeoutCancelsItsQueriesOnly() throws Exception {
        try (Connection limited = connect("wide", PG.md5User(), PG.md5Password());
             Statement s = limited.createStatement()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(20)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            try (ResultSet rs = s.executeQuery("SELECT 'usable'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("usable");
            }
        }
        try (Connection other = connect("wide"); Statement s = other.createStatement()) {
            s.execute("SELECT pg_sleep(1.2)"); // no query_timeout in the timeouts section
        }
    }

    @Test
    void backendSocketsCarryTheKeepaliveTimings() throws Exception {
        try (Connection c = connect("wide"); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        List<PoolAdmin.ServerView> servers = server.pools().pool("wide", PG.user()).admin().servers();
        assertThat(servers).isNotEmpty();
        Channel backend = servers.get(0).server().channel();
        Transport transport = Transport.best().name().equals(server.transportName()) ? Transport.best()
                : Transport.nio();
        Map<ChannelOption<?>, Object> expected = KeepaliveOptions.of(transport,
                new TcpKeepalive(true, Duration.ofSeconds(42), Duration.ZERO, 3, Duration.ZERO));
        assertThat(expected).hasSize(3);
        expected.forEach((option, value) -> assertThat(backend.config().getOption(option)).as(option.name())
                .isEqualTo(value));
    }

    @Test
    void anUnlistedDatabaseIsServedThroughTheFallbackEntry() throws Exception {
        server.close();
        server = new PgmuxServer(ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                auth_type: md5
                databases:
                  "*": {host: %s, port: %d, pool_size: 2}
                users:
                  %s: {password: "%s"}
                """.formatted(PG.host(), PG.port(), PG.user(), PG.password()))).start();
        try (Connection c = connect(PG.database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(PG.database());
        }
        assertThat(server.pools().pool(PG.database(), PG.user()).limits().maxSize()).isEqualTo(2);
        assertThatThrownBy(() -> connect("no_such_database_here").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
    }

    @Test
    void aDatabasesTimezoneAndDatestyleAreTheDefaultsOfItsBackendsAndAClientsOwnStillWin() throws Exception {
        Psql.assumeInstalled();
        String conninfo = "host=127.0.0.1 port=" + server.port() + " user=" + PG.user() + " dbname=auckland";
        Psql.Result defaults = Psql.run(conninfo, PG.password(), "SHOW TimeZone; SHOW DateStyle");
        assertThat(defaults.exitCode()).as(defaults.output()).isZero();
        assertThat(defaults.output().lines()).containsExactly("Pacific/Auckland", "SQL, DMY");
        try (Connection jdbc = connect("auckland"); Statement s = jdbc.createStatement();
             ResultSet rs = s.executeQuery("SHOW DateStyle")) {
            rs.next();
            assertThat(rs.getString(1)).as("pgjdbc sends its own DateStyle").isEqualTo("ISO, DMY");
        }
        Psql.Result wide = Psql.run(conninfo.replace("auckland", "wide"), PG.password(), "SHOW TimeZone");
        assertThat(wide.output()).isNotEqualTo("Pacific/Auckland");
    }

    /** The previous client's socket closes asynchronously in pgmux; a login right after may still count it. */
    private Connection awaitLogin(String database, String user, String password) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return connect(database, user, password);
            } catch (SQLException e) {
                if (attempt >= 100 || !"53300".equals(e.getSQLState())) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
