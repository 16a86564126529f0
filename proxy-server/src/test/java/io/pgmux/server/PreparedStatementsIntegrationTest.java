package io.pgmux.server;

import static io.pgmux.server.WireMessages.bind;
import static io.pgmux.server.WireMessages.concat;
import static io.pgmux.server.WireMessages.execute;
import static io.pgmux.server.WireMessages.parse;
import static io.pgmux.server.WireMessages.query;
import static io.pgmux.server.WireMessages.sync;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgmux.pool.StatementCounters;
import io.pgmux.server.pinning.PinReason;
import io.pgmux.testing.DetectLeaks;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Named prepared statements under transaction pooling, with real drivers: they work on every backend a client is
 * given, are shared between clients on a backend, never pin, and never mix up two clients' statements.
 */
@DetectLeaks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PreparedStatementsIntegrationTest {
    private static final int STATEMENTS = 20;

    @Test
    void pgjdbcDefaultsTwentyStatementsFromHundredThreadsOnFiveBackends() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 5)) {
            Properties defaults = new Properties();
            defaults.setProperty("prepareThreshold", "5"); // pgjdbc's default: named statements from the 5th use
            BackendSampler backends = BackendSampler.start(proxy);
            ExecutorService threads = Executors.newFixedThreadPool(100);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < 100; t++) {
                    int thread = t;
                    // 100 threads x 10 rounds: each of the 20 statements runs 1,000 times.
                    done.add(threads.submit(() -> runStatements(proxy.connect(defaults), thread, 10)));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get(150, TimeUnit.SECONDS)).isEqualTo(10 * STATEMENTS);
                }
            } finally {
                backends.close();
                threads.shutdownNow();
            }
            assertThat(backends.max()).isBetween(1, 5);
            assertThat(proxy.server.pinCounters().pins(PinReason.NAMED_PREPARED_STATEMENT)).isZero();
            StatementCounters counters = statementCounters(proxy);
            // Parsed once per backend, not once per client: at most 5 backends x 20 statements reach PostgreSQL.
            assertThat(counters.misses()).isBetween((long) STATEMENTS, 5L * STATEMENTS);
            assertThat(counters.hits()).isGreaterThan(10_000);
        }
    }

    /** Runs each statement {@code rounds} times on its own connection and checks every result. */
    private static int runStatements(Connection connection, int thread, int rounds) throws SQLException {
        int checked = 0;
        try (Connection c = connection) {
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < STATEMENTS; k++) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * " + (k + 1) + ", 'stmt " + k
                            + "'")) {
                        int x = thread * 1000 + round;
                        ps.setInt(1, x);
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getInt(1)).isEqualTo(x * (k + 1));
                            assertThat(rs.getString(2)).isEqualTo("stmt " + k);
                        }
                    }
                    checked++;
                }
            }
        }
        return checked;
    }

    @Test
    void hikariInFrontOfPgmuxWithEagerBinaryStatements() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 2)) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS prepared_items");
                s.execute("CREATE TABLE prepared_items (id int PRIMARY KEY, amount numeric(12,2), at timestamp,"
                        + " payload bytea)");
            }
            HikariConfig hikari = new HikariConfig();
            hikari.setJdbcUrl(proxy.jdbcUrl());
            hikari.setUsername(proxy.pg.user());
            hikari.setPassword(proxy.pg.password());
            hikari.setMaximumPoolSize(16);
            hikari.addDataSourceProperty("prepareThreshold", "1");
            hikari.addDataSourceProperty("binaryTransfer", "true");
            try (HikariDataSource ds = new HikariDataSource(hikari)) {
                ExecutorService threads = Executors.newFixedThreadPool(16);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < 16; t++) {
                        int thread = t;
                        done.add(threads.submit(() -> {
                            insertAndReadBack(ds, thread);
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    threads.shutdownNow();
                }
            }
            assertThat(proxy.server.pinCounters().pins(PinReason.NAMED_PREPARED_STATEMENT)).isZero();
            assertThat(statementCounters(proxy).hits()).isPositive();
        }
    }

    private static void insertAndReadBack(HikariDataSource ds, int thread) throws SQLException {
        for (int i = 0; i < 50; i++) {
            int id = thread * 1000 + i;
            byte[] payload = ("payload " + id).getBytes(StandardCharsets.UTF_8);
            Timestamp at = new Timestamp(1_700_000_000_000L + id * 1000L);
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO prepared_items VALUES (?, ?, ?, ?)")) {
                    insert.setInt(1, id);
                    insert.setBigDecimal(2, BigDecimal.valueOf(id, 2));
                    insert.setTimestamp(3, at);
                    insert.setBytes(4, payload);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                }
                c.commit();
                c.setAutoCommit(true);
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT amount, at, payload FROM prepared_items WHERE id = ?")) {
                    select.setInt(1, id);
                    try (ResultSet rs = select.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getBigDecimal(1)).isEqualByComparingTo(BigDecimal.valueOf(id, 2));
                        assertThat(rs.getTimestamp(2)).isEqualTo(at);
                        assertThat(rs.getBytes(3)).isEqualTo(payload);
                    }
                }
            }
        }
    }

    @Test
    void twoClientsWithOneNameForDifferentSqlOnOneBackend() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1);
             RawClient a = new RawClient(proxy.port()); RawClient b = new RawClient(proxy.port())) {
            a.login(proxy.pg.md5User(), proxy.pg.md5Password(), proxy.pg.database());
            b.login(proxy.pg.md5User(), proxy.pg.md5Password(), proxy.pg.database());
            a.send(concat(parse("same", "SELECT 'from a'"), sync()));
            a.readUntil('Z');
            b.send(concat(parse("same", "SELECT 'from b'"), sync()));
            b.readUntil('Z');
            for (int i = 0; i < 5; i++) {
                assertThat(executeOne(a, "same")).isEqualTo("from a");
                assertThat(executeOne(b, "same")).isEqualTo("from b");
            }
        }
    }

    @Test
    void backendKilledBetweenParseAndExecute() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1)) {
            // Inside a transaction the client holds its backend: killing it is an error, never another's result;
            // the transaction is aborted, and after the client's ROLLBACK its connection goes on.
            try (RawClient client = new RawClient(proxy.port())) {
                client.login(proxy.pg.md5User(), proxy.pg.md5Password(), proxy.pg.database());
                client.send(query("BEGIN"));
                client.readUntil('Z');
                client.send(concat(parse("s", "SELECT 'mine'"), sync()));
                client.readUntil('Z');
                terminateBackends(proxy);
                client.send(concat(bind("", "s"), execute("", 0), sync()));
                RawClient.Message m;
                while ((m = client.read()) != null && m.type() != 'E') {
                    assertThat(m.type()).as("no row may arrive").isNotEqualTo('D');
                }
                assertThat(m).isNotNull();
                assertThat(m.fields()).containsEntry('V', "ERROR").containsEntry('C', "57P01");
                assertThat(client.readUntil('Z').body()).as("a failed transaction").containsExactly('E');
                client.send(query("ROLLBACK"));
                assertThat(client.readUntil('Z').body()).containsExactly('I');
                assertThat(executeOne(client, "s")).isEqualTo("mine");
            }
            // Between transactions the client holds no backend: the statement is prepared again on a new one.
            try (RawClient client = new RawClient(proxy.port())) {
                client.login(proxy.pg.md5User(), proxy.pg.md5Password(), proxy.pg.database());
                client.send(concat(parse("s", "SELECT 'still mine'"), sync()));
                client.readUntil('Z');
                assertThat(executeOne(client, "s")).isEqualTo("still mine");
                terminateBackends(proxy);
                Thread.sleep(200); // the pool notices the closed socket
                assertThat(executeOne(client, "s")).isEqualTo("still mine");
            }
        }
    }

    @Test
    void pgmuxNamesAreReservedSoNoClientReachesAnothersStatement() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1);
             RawClient client = new RawClient(proxy.port())) {
            client.login(proxy.pg.md5User(), proxy.pg.md5Password(), proxy.pg.database());
            client.send(concat(parse("x", "SELECT 'secret'"), bind("", "x"), execute("", 0), sync()));
            client.readUntil('Z');
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            client.send(concat(parse("pgmux_0123", "SELECT 1"), sync()));
            assertThat(errorCode(client)).isEqualTo("42P05");
            client.send(concat(bind("", "pgmux_0123"), execute("", 0), sync()));
            assertThat(errorCode(client)).isEqualTo("26000");
            assertThat(executeOne(client, "x")).isEqualTo("secret");
        }
    }

    @Test
    void namedStatementsAreNotRefusedUnderStrictPinning() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "pinning: refuse", "query_wait_timeout: 2s")) {
            Properties eager = new Properties();
            eager.setProperty("prepareThreshold", "1");
            try (Connection c = proxy.connect(eager)) {
                for (int i = 0; i < 5; i++) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                        ps.setInt(1, i);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(i + 1);
                        }
                    }
                }
                assertThat(proxy.anotherClientGetsIn()).isTrue();
            }
        }
    }

    private static String errorCode(RawClient client) throws Exception {
        String code = null;
        RawClient.Message m;
        while ((m = client.read()) != null && m.type() != 'Z') {
            if (m.type() == 'E') {
                code = m.fields().get('C');
            }
        }
        return code;
    }

    /** Binds and executes a named statement without parameters; returns the first column of its only row. */
    private static String executeOne(RawClient client, String statement) throws Exception {
        client.send(concat(bind("", statement), execute("", 0), sync()));
        String value = null;
        RawClient.Message m;
        while ((m = client.read()) != null && m.type() != 'Z') {
            assertThat(m.type()).as("error %s", m.type() == 'E' ? m.fields() : "").isNotEqualTo('E');
            if (m.type() == 'D') {
                int length = java.nio.ByteBuffer.wrap(m.body(), 2, 4).getInt();
                value = new String(m.body(), 6, length, StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private static void terminateBackends(TestProxy proxy) throws SQLException {
        try (Connection direct = proxy.pg.connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '"
                     + proxy.pg.md5User() + "' AND backend_type = 'client backend'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isPositive();
        }
    }

    private static StatementCounters statementCounters(TestProxy proxy) {
        return proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user()).statementCounters();
    }
}
