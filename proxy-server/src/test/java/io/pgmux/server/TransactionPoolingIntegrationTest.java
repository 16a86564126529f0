package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many clients share a few backends between transactions, without seeing each other's settings. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionPoolingIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 3);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void threeHundredClientsOnThreeBackendsCommitEverything() throws Exception {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS tx_counter");
            s.execute("CREATE TABLE tx_counter (client int, n int)");
        }
        BackendSampler backends = BackendSampler.start(proxy);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int client = i;
                done.add(pool.submit(() -> {
                    // Only unnamed statements: pure multiplexing, no client ever pins its backend.
                    try (Connection c = proxy.connect(unnamedStatementsOnly()); Statement s = c.createStatement()) {
                        for (int n = 0; n < 3; n++) {
                            c.setAutoCommit(false);
                            s.execute("INSERT INTO tx_counter VALUES (" + client + ", " + n + ")");
                            s.execute("INSERT INTO tx_counter VALUES (" + client + ", " + (n + 100) + ")");
                            c.commit();
                            c.setAutoCommit(true);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            backends.close();
            pool.shutdownNow();
        }
        try (Connection c = proxy.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT client) FROM tx_counter")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(300 * 6);
            assertThat(rs.getInt(2)).isEqualTo(300);
        }
        assertThat(backends.max()).isBetween(1, 3);
    }

    /** Many clients on both event loops racing for three backends with extended-protocol batches. */
    @Test
    void extendedProtocolBatchesStayOnOneBackend() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(40);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                done.add(threads.submit(() -> {
                    int queries = 0;
                    try (Connection c = proxy.connect();
                         var ps = c.prepareStatement("SELECT ?::int + 1, pg_backend_pid()")) {
                        while (System.nanoTime() < deadline) {
                            ps.setInt(1, queries);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                assertThat(rs.getInt(1)).isEqualTo(queries + 1);
                            }
                            queries++;
                        }
                    }
                    return queries;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * Regression: a backend lent at once (an idle one) was given back after the Parse of an extended-protocol batch,
     * before its Bind/Execute/Sync, which then ran on another backend ("portal does not exist" under
     * {@code pgbench -M extended -c 50}). A raw client sends Parse, pauses, then Bind/Execute/Sync; another client
     * that ran in the pause would overwrite the unnamed statement on the shared backend, so it must wait instead.
     */
    @Test
    void pauseInsideAnExtendedBatchKeepsTheBackend() throws Exception {
        try (TestProxy single = TestProxy.start("transaction", 1); RawClient raw = new RawClient(single.port())) {
            raw.sendStartup(single.pg.user(), single.pg.database());
            byte[] salt = java.util.Arrays.copyOfRange(raw.read().body(), 4, 8);
            raw.sendTyped('p', (io.pgmux.protocol.auth.Md5Password.clientResponse(single.pg.user(),
                    single.pg.password(), salt) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            raw.readUntil('Z');
            raw.sendTyped('P', "\0SELECT 'from raw'\0\0\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Thread.sleep(300);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<String> otherResult = other.submit(() -> {
                    try (Connection c = single.connect(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT 'from jdbc'")) {
                        rs.next();
                        return rs.getString(1);
                    }
                });
                Thread.sleep(700); // the other client would run here if the backend had been given back
                raw.sendTyped('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
                raw.sendTyped('E', new byte[] {0, 0, 0, 0, 0});
                raw.sendTyped('S', new byte[0]);
                RawClient.Message row = raw.readUntil('D');
                String value = new String(row.body(), 6, row.body().length - 6, java.nio.charset.StandardCharsets.UTF_8);
                assertThat(value).isEqualTo("from raw");
                raw.readUntil('Z');
                assertThat(otherResult.get(30, TimeUnit.SECONDS)).isEqualTo("from jdbc");
            } finally {
                other.shutdownNow();
            }
        }
    }

    @Test
    void eachClientKeepsItsOwnApplicationNameAcrossBackendSwitches() throws Exception {
        int clients = 12;
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Properties p = new Properties();
                p.setProperty("ApplicationName", "client-" + i);
                connections.add(proxy.connect(p));
            }
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < clients; i++) {
                    try (Statement s = connections.get(i).createStatement()) {
                        if (round == 2 && i % 2 == 0) {
                            s.execute("SET application_name = 'renamed-" + i + "'");
                        }
                        String expected = round >= 2 && i % 2 == 0 ? "renamed-" + i : "client-" + i;
                        try (ResultSet rs = s.executeQuery("SELECT current_setting('application_name')")) {
                            rs.next();
                            assertThat(rs.getString(1)).as("client %d round %d", i, round).isEqualTo(expected);
                        }
                    }
                }
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    @Test
    void openTransactionKeepsItsBackendAndItsData() throws SQLException {
        try (Connection a = proxy.connect(); Connection b = proxy.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE IF NOT EXISTS tx_visibility (v text)");
            a.setAutoCommit(false);
            sa.execute("INSERT INTO tx_visibility VALUES ('uncommitted')");
            int pidInTx = pid(sa);
            try (ResultSet rs = sb.executeQuery("SELECT count(*) FROM tx_visibility WHERE v = 'uncommitted'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero(); // b never lands inside a's transaction
            }
            assertThat(pid(sa)).isEqualTo(pidInTx);
            a.rollback();
        }
    }

    @Test
    void namedPreparedStatementsNeverCollideAcrossClients() throws SQLException {
        Properties eager = new Properties();
        eager.setProperty("prepareThreshold", "1"); // pgjdbc names its statements S_1, S_2... from the first use
        try (Connection a = proxy.connect(eager); Connection b = proxy.connect(eager)) {
            for (int i = 0; i < 5; i++) {
                assertThat(preparedText(a, "SELECT 'from a', ?::int")).isEqualTo("from a");
                assertThat(preparedText(b, "SELECT 'from b', ?::int")).isEqualTo("from b");
            }
        }
        // New clients name their statements S_1, S_2... again, for other SQL: still no collision.
        try (Connection c = proxy.connect(eager); Connection d = proxy.connect(eager)) {
            for (int i = 0; i < 5; i++) {
                assertThat(preparedText(c, "SELECT 'from c', ?::int")).isEqualTo("from c");
                assertThat(preparedText(d, "SELECT 'from d', ?::int")).isEqualTo("from d");
            }
        }
    }

    @Test
    void untrackedSetAndTempTablesStayWithTheirClient() throws SQLException {
        try (Connection a = proxy.connect(unnamedStatementsOnly()); Connection b = proxy.connect(unnamedStatementsOnly());
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("SET statement_timeout = '12345ms'");
            sa.execute("CREATE TEMP TABLE only_a (x int)");
            for (int i = 0; i < 5; i++) {
                assertThat(text(sa, "SHOW statement_timeout")).isEqualTo("12345ms");
                assertThat(text(sa, "SELECT count(*) FROM only_a")).isEqualTo("0");
                assertThat(text(sb, "SHOW statement_timeout")).isEqualTo("0");
                assertThat(text(sb, "SELECT to_regclass('only_a') IS NULL")).isEqualTo("t"); // not in b's temp schema
            }
        }
        try (Connection c = proxy.connect(unnamedStatementsOnly()); Statement sc = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                assertThat(text(sc, "SHOW statement_timeout")).isEqualTo("0");
            }
        }
    }

    private static Properties unnamedStatementsOnly() {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "0");
        return p;
    }

    private static String preparedText(Connection c, String sql) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int pid(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
