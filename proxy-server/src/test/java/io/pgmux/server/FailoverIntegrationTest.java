// A real PostgreSQL restarted, and a primary switched over to its promoted standby, under load through pgmux.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PrivatePostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failover hold against real servers: clients that were idle, or that ask for a backend while the server is
 * away, see no error and are served promptly once a server accepts logins; only a client whose statement was
 * running on the server that went away may get an error. Each test prints what it measured.
 */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FailoverIntegrationTest {
    private static final int LOAD_CLIENTS = 24;
    private static final int POOL_SIZE = 6;

    @Test
    void restartOfTheOnlyServerIsHeldAndServedWithinASecondOfItsReturn() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start(); PgmuxServer pgmux = pgmux(pg.host() + ":" + pg.port(),
                "any")) {
            List<Connection> idle = connections(pgmux, 8);
            try (Load load = new Load(pgmux, "SELECT 1"); Connection idleInTransaction = connect(pgmux);
                 RawClient runningInTransaction = new RawClient(pgmux.port())) {
                load.awaitCommits(200);
                idleInTransaction.setAutoCommit(false);
                query(idleInTransaction);
                runningInTransaction.login(PrivatePostgres.USER, "", "app");
                runningInTransaction.sendQuery("BEGIN");
                runningInTransaction.readUntil('Z');
                runningInTransaction.sendQuery("SELECT pg_sleep(60)");
                Thread.sleep(200); // running on the server when it stops
                pg.stop();
                long outageStarted = System.nanoTime();
                load.markOutage();
                ExecutorService asker = Executors.newSingleThreadExecutor();
                Future<Long> heldQuery = asker.submit(() -> timedQuery(idle.get(0)));
                asker.shutdown();
                Thread.sleep(1000); // every client of the load is now asking for a backend, and held
                long starting = System.nanoTime();
                pg.startAgain();
                long up = System.nanoTime();
                long servedAt = heldQuery.get(10, TimeUnit.SECONDS);
                load.awaitCommitsAfter(up, 100);
                for (Connection c : idle) {
                    assertThat(query(c)).isEqualTo(1);
                }
                transactionLostButConnectionUsable(runningInTransaction);
                transactionLostButConnectionUsable(idleInTransaction);
                long servedAfterUpMs = TimeUnit.NANOSECONDS.toMillis(servedAt - up);
                System.out.printf("[failover] restart: outage %d ms; PostgreSQL start took %d ms; held client served"
                        + " %d ms after the start returned; load: %d commits, %d errors before the outage mark, %d"
                        + " after it, %d broken connections%n", TimeUnit.NANOSECONDS.toMillis(up - outageStarted),
                        TimeUnit.NANOSECONDS.toMillis(up - starting), servedAfterUpMs, load.commits.get(),
                        load.errorsBefore.get(), load.errorsAfter.get(), load.broken.get());
                assertThat(servedAfterUpMs).as("served within 1 s of PostgreSQL accepting logins")
                        .isLessThan(1000);
                assertThat(load.errorsAfter.get()).as("clients asking during the outage see no error").isZero();
                assertThat(load.errorsBefore.get()).as("at most the statements running at the stop failed")
                        .isLessThanOrEqualTo(POOL_SIZE);
                assertThat(load.unexpected).as("only 57P01 or 08006 for statements on the stopped server")
                        .isEmpty();
                assertThat(load.broken.get()).as("every client's connection to pgmux stays usable").isZero();
            } finally {
                closeAll(idle);
            }
        }
    }

    /**
     * A client whose statement was running inside a transaction when the server stopped: told at once, with the
     * server's SQLSTATE, that its transaction is aborted, and answered as in a failed transaction until it rolls
     * back; then it goes on on the same connection.
     */
    private static void transactionLostButConnectionUsable(RawClient client) throws Exception {
        RawClient.Message error = client.readUntil('E');
        assertThat(error.fields()).containsEntry('C', "57P01");
        assertThat(error.fields().get('M')).contains("transaction is aborted");
        assertThat(client.readUntil('Z').body()).as("a failed transaction").containsExactly('E');
        client.sendQuery("SELECT 1");
        assertThat(client.readUntil('E').fields()).containsEntry('C', "25P02");
        assertThat(client.readUntil('Z').body()).containsExactly('E');
        client.sendQuery("COMMIT");
        RawClient.Message rolledBack = client.readUntil('C');
        assertThat(new String(rolledBack.body(), 0, rolledBack.body().length - 1, StandardCharsets.US_ASCII))
                .as("the COMMIT of a failed transaction").isEqualTo("ROLLBACK");
        assertThat(client.readUntil('Z').body()).containsExactly('I');
        client.sendQuery("SELECT 1");
        assertThat(client.readUntil('D')).isNotNull();
        assertThat(client.readUntil('Z').body()).containsExactly('I');
    }

    /**
     * A client idle inside a transaction when the server stopped learns it with its next statement (the server's
     * SQLSTATE), is refused until it rolls back, and goes on on the same connection.
     */
    private static void transactionLostButConnectionUsable(Connection client) throws Exception {
        assertThatThrownBy(() -> query(client)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("57P01"));
        assertThatThrownBy(() -> query(client)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("25P02"));
        client.rollback();
        assertThat(query(client)).isEqualTo(1);
        client.commit();
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void switchoverToThePromotedStandbyWithNoWriteOnAStandby() throws Exception {
        try (PrivatePostgres primary = PrivatePostgres.start()) {
            try (Connection c = primary.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE writes (client int, n int)");
            }
            try (PrivatePostgres standby = primary.standbyCopy();
                 PgmuxServer pgmux = pgmux(primary.host() + ":" + primary.port() + ", " + standby.host() + ":"
                         + standby.port(), "read-write")) {
                try (Load load = new Load(pgmux, "INSERT INTO writes VALUES (%d, %d)")) {
                    load.awaitCommits(200);
                    primary.stop();
                    load.markOutage();
                    Thread.sleep(300);
                    standby.promote();
                    long promoted = System.nanoTime();
                    long firstCommit = load.awaitCommitsAfter(promoted, 100);
                    long recoveryMs = TimeUnit.NANOSECONDS.toMillis(firstCommit - promoted);
                    System.out.printf("[failover] switchover: first commit through pgmux %d ms after the promote;"
                            + " load: %d commits, %d errors before the outage mark, %d after it, %d broken"
                            + " connections%n", recoveryMs, load.commits.get(), load.errorsBefore.get(),
                            load.errorsAfter.get(), load.broken.get());
                    assertThat(recoveryMs).as("first commit within 2 s of the promote").isLessThan(2000);
                    assertThat(load.errorsAfter.get()).as("clients asking during the switchover see no error")
                            .isZero();
                    assertThat(load.errorsBefore.get()).isLessThanOrEqualTo(POOL_SIZE);
                    assertThat(load.unexpected).as("never 25006 (a write on a standby)").isEmpty();
                    assertThat(load.broken.get()).as("every client's connection to pgmux stays usable").isZero();
                }
                try (Connection c = standby.connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isFalse();
                }
                assertThat(showHosts(pgmux)).containsExactly(
                        primary.port() + " primary down",
                        standby.port() + " primary up");
                Scrape metrics = Scrape.parse(metrics(pgmux));
                assertThat(metrics.value("pgmux_pool_failovers_total", "database", "app")).isEqualTo(1);
                assertThat(metrics.value("pgmux_pool_failover_hold_seconds_count", "database", "app")).isEqualTo(1);
                assertThat(metrics.value("pgmux_host_up", "host", "127.0.0.1:" + standby.port(), "role", "primary"))
                        .isEqualTo(1);
                assertThat(metrics.value("pgmux_host_up", "host", "127.0.0.1:" + primary.port())).isZero();
                assertThat(readyWithin(pgmux, 5)).as("ready while the first host is down and another is up")
                        .isTrue();
            }
        }
    }

    /** SHOW HOSTS through the console: "PORT ROLE STATE" per host. */
    private static List<String> showHosts(PgmuxServer pgmux) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PrivatePostgres.USER);
        p.setProperty("preferQueryMode", "simple");
        List<String> rows = new ArrayList<>();
        try (Connection console = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgmux.port()
                + "/pgbouncer", p); Statement s = console.createStatement();
             ResultSet rs = s.executeQuery("SHOW HOSTS")) {
            while (rs.next()) {
                rows.add(rs.getInt("port") + " " + rs.getString("role") + " " + rs.getString("state"));
            }
        }
        return rows;
    }

    private static String metrics(PgmuxServer pgmux) throws Exception {
        return get(pgmux, "/metrics").body();
    }

    private static boolean readyWithin(PgmuxServer pgmux, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (get(pgmux, "/health/ready").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static HttpResponse<String> get(PgmuxServer pgmux, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + pgmux.adminPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PgmuxServer pgmux(String hosts, String attrs) throws InterruptedException {
        return new PgmuxServer(ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                admin_listen: 127.0.0.1:0
                admin_users: [%s]
                auth_type: trust
                pool: {mode: transaction, default_pool_size: %d}
                timeouts: {server_connect_timeout: 2s, server_login_retry: 15s, query_wait_timeout: 60s}
                databases:
                  app:
                    hosts: [%s]
                    dbname: %s
                    user: %s
                    target_session_attrs: %s
                    failover_hold_timeout: 30s
                """.formatted(PrivatePostgres.USER, POOL_SIZE, hosts, PrivatePostgres.DATABASE, PrivatePostgres.USER,
                attrs))).start();
    }

    private static Connection connect(PgmuxServer pgmux) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PrivatePostgres.USER);
        p.setProperty("prepareThreshold", "0");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgmux.port() + "/app", p);
    }

    private static List<Connection> connections(PgmuxServer pgmux, int count) throws SQLException {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Connection c = connect(pgmux);
            query(c);
            connections.add(c);
        }
        return connections;
    }

    private static int query(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long timedQuery(Connection c) throws SQLException {
        query(c);
        return System.nanoTime();
    }

    private static void closeAll(List<Connection> connections) throws SQLException {
        for (Connection c : connections) {
            c.close();
        }
    }

    /**
     * Clients running one autocommit statement after another, more of them than backends. An error is counted
     * as "before" when the statement started before the outage mark (it may have been running on the server that
     * went away), else "after"; a client whose connection broke reconnects.
     */
    private static final class Load implements AutoCloseable {
        final AtomicInteger commits = new AtomicInteger();
        final AtomicInteger errorsBefore = new AtomicInteger();
        final AtomicInteger errorsAfter = new AtomicInteger();
        /** Clients whose connection to pgmux broke: none should, whatever their statement met. */
        final AtomicInteger broken = new AtomicInteger();
        final Map<String, String> unexpected = new ConcurrentHashMap<>();
        private final AtomicLong lastCommitNanos = new AtomicLong();
        private volatile long outageMark = Long.MAX_VALUE;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads = Executors.newFixedThreadPool(LOAD_CLIENTS);
        private final List<Future<?>> clients = new ArrayList<>();

        Load(PgmuxServer pgmux, String sql) {
            for (int i = 0; i < LOAD_CLIENTS; i++) {
                int client = i;
                clients.add(threads.submit(() -> run(pgmux, sql, client)));
            }
        }

        private void run(PgmuxServer pgmux, String sql, int client) {
            Connection c = null;
            for (int n = 0; running.get(); n++) {
                long started = System.nanoTime();
                try {
                    if (c == null) {
                        c = connect(pgmux);
                    }
                    try (Statement s = c.createStatement()) {
                        s.execute(sql.formatted(client, n));
                    }
                    commits.incrementAndGet();
                    lastCommitNanos.set(System.nanoTime());
                } catch (SQLException e) {
                    (started < outageMark ? errorsBefore : errorsAfter).incrementAndGet();
                    if (!"57P01".equals(e.getSQLState()) && !"08006".equals(e.getSQLState())) {
                        unexpected.put(e.getSQLState() + " " + e.getMessage(), "client " + client);
                    }
                    if (isBroken(c)) {
                        broken.incrementAndGet();
                        c = closeQuietly(c);
                    }
                }
            }
            closeQuietly(c);
        }

        private static boolean isBroken(Connection c) {
            try {
                return c == null || c.isClosed();
            } catch (SQLException e) {
                return true;
            }
        }

        private static Connection closeQuietly(Connection c) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException ignored) {
                // a broken connection; nothing to close
            }
            return null;
        }

        void markOutage() {
            outageMark = System.nanoTime();
        }

        void awaitCommits(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (commits.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(commits.get()).as("commits before the outage").isGreaterThanOrEqualTo(count);
        }

        /** Waits for {@code count} more commits after {@code since}; returns when the first of them committed. */
        long awaitCommitsAfter(long since, int count) throws InterruptedException {
            long first = 0;
            int before = commits.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (commits.get() < before + count && System.nanoTime() < deadline) {
                long last = lastCommitNanos.get();
                if (first == 0 && last > since) {
                    first = last;
                }
                Thread.sleep(1);
            }
            assertThat(commits.get()).as("commits after the server came back").isGreaterThanOrEqualTo(before + count);
            return first != 0 ? first : lastCommitNanos.get();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            for (Future<?> client : clients) {
                client.get(30, TimeUnit.SECONDS);
            }
            threads.shutdown();
        }
    }
}
