package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin console through pgjdbc: PgBouncer's columns, permissions, PAUSE/RESUME, RELOAD, KILL, SHUTDOWN. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminConsoleIntegrationTest {
    static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();

    static {
        List<String> connections = List.of("type", "user", "database", "replication", "state", "addr", "port",
                "local_addr", "local_port", "connect_time", "request_time", "wait", "wait_us", "close_needed", "ptr",
                "link", "remote_pid", "tls", "application_name", "prepared_statements", "id");
        List<String> subset = List.of("database", "server_assignment_count", "xact_count", "query_count",
                "bytes_received", "bytes_sent", "xact_time", "query_time", "wait_time", "client_parse_count",
                "server_parse_count", "bind_count");
        List<String> averages = new java.util.ArrayList<>(subset.subList(0, 9));
        averages.addAll(List.of("avg_client_parse_count", "avg_server_parse_count", "avg_bind_count"));
        COLUMNS.put("POOLS", List.of("database", "user", "cl_active", "cl_waiting", "cl_active_cancel_req",
                "cl_waiting_cancel_req", "sv_active", "sv_active_cancel", "sv_being_canceled", "sv_idle", "sv_used",
                "sv_tested", "sv_login", "maxwait", "maxwait_us", "pool_mode", "load_balance_hosts", "paused",
                "exhaustion_events", "wait_timeouts"));
        COLUMNS.put("STATS", List.of("database", "total_server_assignment_count", "total_xact_count",
                "total_query_count", "total_received", "total_sent", "total_xact_time", "total_query_time",
                "total_wait_time", "total_client_parse_count", "total_server_parse_count", "total_bind_count",
                "avg_server_assignment_count", "avg_xact_count", "avg_query_count", "avg_recv", "avg_sent",
                "avg_xact_time", "avg_query_time", "avg_wait_time", "avg_client_parse_count", "avg_server_parse_count",
                "avg_bind_count"));
        COLUMNS.put("STATS_TOTALS", subset);
        COLUMNS.put("STATS_AVERAGES", List.copyOf(averages));
        COLUMNS.put("CLIENTS", connections);
        COLUMNS.put("SERVERS", connections);
        COLUMNS.put("DATABASES", List.of("name", "host", "port", "database", "force_user", "pool_size",
                "min_pool_size", "reserve_pool_size", "server_lifetime", "pool_mode", "load_balance_hosts",
                "max_connections", "current_connections", "max_client_connections", "current_client_connections",
                "paused", "disabled"));
        COLUMNS.put("USERS", List.of("name", "pool_size", "reserve_pool_size", "pool_mode", "max_user_connections",
                "current_connections", "max_user_client_connections", "current_client_connections"));
        COLUMNS.put("CONFIG", List.of("key", "value", "default", "changeable"));
        COLUMNS.put("LISTS", List.of("list", "items"));
        COLUMNS.put("VERSION", List.of("version"));
        COLUMNS.put("STATE", List.of("key", "value"));
    }

    private OpsProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = OpsProxy.start("transaction", 2, "");
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void everyShowReturnsPgBouncersColumns() throws Exception {
        try (Connection app = proxy.connect(); Statement s = app.createStatement()) {
            s.execute("SELECT 1"); // a pool with a backend, so SHOW POOLS and SHOW SERVERS have rows
            try (Connection console = console(); Statement c = console.createStatement()) {
                for (Map.Entry<String, List<String>> show : COLUMNS.entrySet()) {
                    try (ResultSet rs = c.executeQuery("SHOW " + show.getKey())) {
                        assertThat(columns(rs.getMetaData())).as("SHOW %s", show.getKey())
                                .containsExactlyElementsOf(show.getValue());
                    }
                }
                Map<String, String> pool = firstRow(c, "SHOW POOLS");
                assertThat(pool).containsEntry("database", proxy.pg.database()).containsEntry("pool_mode", "transaction");
                assertThat(pool.get("sv_idle")).isEqualTo("1");
                assertThat(firstRow(c, "show servers;")).containsEntry("type", "S").containsEntry("state", "idle");
                assertThat(rows(c, "SHOW CLIENTS")).anySatisfy(r -> assertThat(r).containsEntry("database",
                        proxy.pg.database()));
                assertThat(firstRow(c, "SHOW VERSION").get("version")).startsWith("pgmux ");
                Map<String, String> stats = firstRow(c, "SHOW STATS");
                assertThat(stats).containsEntry("database", proxy.pg.database());
                assertThat(Long.parseLong(stats.get("total_server_assignment_count"))).isPositive();
                assertThat(Long.parseLong(stats.get("total_received"))).isPositive();
                assertThat(rows(c, "SHOW CONFIG")).anySatisfy(r -> assertThat(r).containsEntry("key",
                        "default_pool_size").containsEntry("value", "2"));
                assertThat(rows(c, "SHOW CONFIG")).as("every client timeout is listed, reloadable")
                        .anySatisfy(r -> assertThat(r).containsEntry("key", "query_wait_notify")
                                .containsEntry("changeable", "yes"));
            }
        }
    }

    @Test
    void badInputGetsTheRightSqlState() throws Exception {
        try (Connection console = console(); Statement c = console.createStatement()) {
            assertThatThrownBy(() -> c.execute("FROBNICATE")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42601"));
            assertThatThrownBy(() -> c.execute("SHOW NOTHING")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42601"));
            assertThatThrownBy(() -> c.execute("PAUSE nosuchdb")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("3D000"));
            assertThat(firstRow(c, "SHOW STATE")).containsEntry("key", "active"); // the session goes on
        }
    }

    @Test
    void statsUserMayShowButNotPause() throws Exception {
        try (Connection stats = proxy.connect("pgbouncer", proxy.pg.md5User(), proxy.pg.md5Password());
             Statement c = stats.createStatement()) {
            assertThat(rows(c, "SHOW POOLS")).isNotNull();
            assertThatThrownBy(() -> c.execute("PAUSE")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            assertThatThrownBy(() -> c.execute("SHUTDOWN")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        assertThat(proxy.connect().isValid(5)).isTrue(); // nothing was paused or shut down
    }

    @Test
    void onlyConsoleUsersGetInAndAReloadChangesWhoThatIs() throws Exception {
        assertThat(queryOne(proxy, "SELECT 1")).isEqualTo(1);
        proxy.yaml.set(proxy.yaml.get().replace("stats_users: [" + proxy.pg.md5User() + "]", "stats_users: []"));
        proxy.server.reload();
        assertThatThrownBy(() -> proxy.connect("pgbouncer", proxy.pg.md5User(), proxy.pg.md5Password()))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
    }

    @Test
    void extendedQueryProtocolIsRefusedWithFeatureNotSupported() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", proxy.pg.user());
        p.setProperty("password", proxy.pg.password());
        // pgjdbc's default mode runs statements with Parse/Bind/Execute/Sync, which the console refuses.
        try (Connection extended = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port()
                + "/pgbouncer", p); Statement s = extended.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SHOW POOLS")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("simple query protocol")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
            assertThat(extended.isValid(5)).as("the session goes on after the refused batch").isTrue();
        }
    }

    @Test
    void pauseWaitsForTheTransactionAndHoldsNewOnesUntilResume() throws Exception {
        try (Connection inTx = proxy.connect(); Statement tx = inTx.createStatement();
             Connection console = console(); Statement c = console.createStatement()) {
            inTx.setAutoCommit(false);
            tx.execute("SELECT 1");
            CompletableFuture<Void> pause = CompletableFuture.runAsync(() -> execute(c, "PAUSE"));
            Thread.sleep(300);
            assertThat(pause).as("PAUSE waits for the open transaction").isNotDone();
            tx.execute("SELECT 2"); // the transaction goes on during PAUSE
            inTx.commit();
            pause.get(10, TimeUnit.SECONDS);

            CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> queryOne(proxy, "SELECT 42"));
            Thread.sleep(300);
            assertThat(held).as("a new transaction waits while paused").isNotDone();
            try (Connection console2 = console(); Statement c2 = console2.createStatement()) {
                assertThat(firstRow(c2, "SHOW POOLS")).containsEntry("paused", "1").containsEntry("sv_active", "0");
                c2.execute("RESUME");
            }
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }

    @Test
    void pauseAlsoHoldsAPoolCreatedAfterIt() throws Exception {
        try (Connection console = console(); Statement c = console.createStatement()) {
            c.execute("PAUSE " + proxy.pg.database());
            // The first client of another user creates a new pool, which must start paused.
            CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> {
                try (Connection other = proxy.connect(proxy.pg.database(), proxy.pg.md5User(),
                        proxy.pg.md5Password()); Statement s = other.createStatement();
                     ResultSet rs = s.executeQuery("SELECT 11")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
            Thread.sleep(500);
            assertThat(held).as("the new pool is paused").isNotDone();
            c.execute("RESUME " + proxy.pg.database());
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(11);
        }
    }

    @Test
    void reloadAppliesANewPoolSize() throws Exception {
        try (Connection app = proxy.connect(); Statement s = app.createStatement();
             Connection console = console(); Statement c = console.createStatement()) {
            s.execute("SELECT 1");
            assertThat(firstRow(c, "SHOW DATABASES")).containsEntry("pool_size", "2");
            proxy.yaml.set(proxy.yaml.get().replace("default_pool_size: 2", "default_pool_size: 7"));
            c.execute("RELOAD");
            assertThat(firstRow(c, "SHOW DATABASES")).containsEntry("pool_size", "7");
            assertThat(proxy.scrape().value("pgmux_pool_size_max", "database", proxy.pg.database())).isEqualTo(7);
            assertThat(queryOne(proxy, "SELECT 7")).isEqualTo(7); // the connected client was not dropped
            assertThat(s.executeQuery("SELECT 8").next()).isTrue();

            proxy.yaml.set(proxy.yaml.get().replace("default_pool_size: 7", "default_pool_size: zero"));
            assertThatThrownBy(() -> c.execute("RELOAD")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("default_pool_size")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("F0000"));
            assertThat(firstRow(c, "SHOW DATABASES")).containsEntry("pool_size", "7"); // the old one stays
        }
    }

    @Test
    void killDropsTheDatabasesClientsAndHoldsNewOnesUntilResume() throws Exception {
        Connection victim = proxy.connect();
        try (Statement s = victim.createStatement(); Connection console = console();
             Statement c = console.createStatement()) {
            s.execute("SELECT 1");
            c.execute("KILL " + proxy.pg.database());
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(firstRow(c, "SHOW POOLS")).containsEntry("sv_idle", "0").containsEntry("sv_active", "0");
            c.execute("RESUME " + proxy.pg.database());
            assertThat(queryOne(proxy, "SELECT 3")).isEqualTo(3);
        } finally {
            victim.close();
        }
    }

    @Test
    void disableRefusesNewClientsUntilEnable() throws Exception {
        try (Connection console = console(); Statement c = console.createStatement()) {
            c.execute("DISABLE " + proxy.pg.database());
            assertThatThrownBy(proxy::connect).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"));
            c.execute("ENABLE " + proxy.pg.database());
            assertThat(queryOne(proxy, "SELECT 5")).isEqualTo(5);
        }
    }

    @Test
    void reconnectClosesBackendsAndWaitCloseWaitsForThem() throws Exception {
        try (Connection app = proxy.connect(); Statement s = app.createStatement();
             Connection console = console(); Statement c = console.createStatement()) {
            s.execute("SELECT 1");
            String before = firstRow(c, "SHOW SERVERS").get("remote_pid");
            c.execute("RECONNECT " + proxy.pg.database());
            c.execute("WAIT_CLOSE " + proxy.pg.database());
            assertThat(s.executeQuery("SELECT 1").next()).isTrue();
            assertThat(firstRow(c, "SHOW SERVERS").get("remote_pid")).isNotEqualTo(before);
        }
    }

    @Test
    void shutdownStopsTheServer() throws Exception {
        try (Connection console = console(); Statement c = console.createStatement()) {
            try {
                c.execute("SHUTDOWN");
            } catch (SQLException e) {
                // the connection may close before the answer arrives
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.server.accepting() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(proxy.server.accepting()).isFalse();
        assertThatThrownBy(proxy::connect).isInstanceOf(SQLException.class);
    }

    private Connection console() throws SQLException {
        return proxy.connect("pgbouncer", proxy.pg.user(), proxy.pg.password());
    }

    static int queryOne(OpsProxy proxy, String sql) {
        try (Connection c = proxy.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void execute(Statement s, String sql) {
        try {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> columns(ResultSetMetaData meta) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            names.add(meta.getColumnName(i));
        }
        return names;
    }

    static List<Map<String, String>> rows(Statement s, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            List<String> names = columns(rs.getMetaData());
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    row.put(names.get(i), rs.getString(i + 1));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static Map<String, String> firstRow(Statement s, String sql) throws SQLException {
        List<Map<String, String>> rows = rows(s, sql);
        assertThat(rows).as(sql).isNotEmpty();
        return rows.get(0);
    }
}
