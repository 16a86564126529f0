package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** Real clients through pgmux in session mode, against a real PostgreSQL. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionPoolingIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("session", 10);
        System.out.println("PostgreSQL for tests: " + proxy.pg.source() + ", pgmux transport: "
                + proxy.server.transportName());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void simpleAndExtendedQueries() throws SQLException {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 + 1, 'pgmux'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getString(2)).isEqualTo("pgmux");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * 3, ?::text || '!'")) {
                for (int i = 0; i < 10; i++) { // past pgjdbc's prepareThreshold: named server-side statements
                    ps.setInt(1, i);
                    ps.setString(2, "n" + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(i * 3);
                        assertThat(rs.getString(2)).isEqualTo("n" + i + "!");
                    }
                }
            }
        }
    }

    @Test
    void transactionsCommitAndRollBack() throws SQLException {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS session_tx (id int primary key)");
            s.execute("TRUNCATE session_tx");
            c.setAutoCommit(false);
            s.execute("INSERT INTO session_tx VALUES (1)");
            c.rollback();
            s.execute("INSERT INTO session_tx VALUES (2)");
            c.commit();
            c.setAutoCommit(true);
            try (ResultSet rs = s.executeQuery("SELECT array_agg(id) FROM session_tx")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("{2}");
            }
        }
    }

    @Test
    void errorsSurfaceUnchangedAndKeepTheConnectionUsable() throws SQLException {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT 1 / 0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
            try (ResultSet rs = s.executeQuery("SELECT 42")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void tenMegabyteByteaRoundTrip() throws SQLException {
        byte[] data = new byte[10 * 1024 * 1024];
        new Random(7).nextBytes(data);
        try (Connection c = proxy.connect(); PreparedStatement ps = c.prepareStatement("SELECT ?::bytea")) {
            ps.setBytes(1, data);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getBytes(1)).isEqualTo(data);
            }
        }
    }

    @Test
    void millionRowResultStreamsWithCorrectChecksum() throws SQLException {
        long sum = 0;
        long textLength = 0;
        int rows = 0;
        try (Connection c = proxy.connect()) {
            c.setAutoCommit(false); // lets pgjdbc fetch in batches through a portal
            try (Statement s = c.createStatement()) {
                s.setFetchSize(5000);
                try (ResultSet rs = s.executeQuery(
                        "SELECT g, repeat('x', g % 50) FROM generate_series(1, 1000000) g")) {
                    while (rs.next()) {
                        sum += rs.getLong(1);
                        textLength += rs.getString(2).length();
                        rows++;
                    }
                }
            }
            c.commit();
        }
        long expectedLength = 0;
        for (int g = 1; g <= 1_000_000; g++) {
            expectedLength += g % 50;
        }
        assertThat(rows).isEqualTo(1_000_000);
        assertThat(sum).isEqualTo(1_000_000L * 1_000_001L / 2);
        assertThat(textLength).isEqualTo(expectedLength);
    }

    @Test
    void copyInAndOutOfAHundredThousandRows() throws Exception {
        StringBuilder input = new StringBuilder();
        for (int i = 1; i <= 100_000; i++) {
            input.append(i).append('\t').append("row-").append(i).append('\n');
        }
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS session_copy");
            s.execute("CREATE TABLE session_copy (id int, label text)");
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long copied = copy.copyIn("COPY session_copy FROM STDIN", new StringReader(input.toString()));
            assertThat(copied).isEqualTo(100_000);
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(id), sum(length(label)) FROM session_copy")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(100_000);
                assertThat(rs.getLong(2)).isEqualTo(100_000L * 100_001L / 2);
            }
            StringWriter output = new StringWriter();
            long exported = copy.copyOut("COPY (SELECT * FROM session_copy ORDER BY id) TO STDOUT", output);
            assertThat(exported).isEqualTo(100_000);
            assertThat(output.toString()).isEqualTo(input.toString());
        }
    }

    @Test
    void twoHundredClientsShareTenBackends() throws Exception {
        BackendSampler backends = BackendSampler.start(proxy);
        ExecutorService clients = Executors.newFixedThreadPool(200);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(clients.submit(() -> {
                    try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                        c.setAutoCommit(false);
                        try (ResultSet rs = s.executeQuery("SELECT " + n + " * 2, pg_sleep(0.01)")) {
                            rs.next();
                            c.commit();
                            return rs.getInt(1);
                        }
                    }
                }));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * 2);
            }
        } finally {
            backends.close();
            clients.shutdownNow();
        }
        assertThat(backends.max()).isBetween(1, 10);
    }
}
