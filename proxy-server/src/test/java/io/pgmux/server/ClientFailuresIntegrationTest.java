package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input, bad credentials and vanishing peers: each fails cleanly and harms nobody else. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientFailuresIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("session", 4);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void garbageBytesGetProtocolViolationAndClose() throws Exception {
        try (RawClient raw = new RawClient(proxy.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawClient.Message error = raw.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('C', "08P01").containsEntry('S', "FATAL");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertStillServing();
    }

    @Test
    void unknownMessageTypeAfterLoginGetsProtocolViolation() throws Exception {
        try (RawClient raw = loggedInRawClient()) {
            raw.sendTyped('!', new byte[] {1, 2, 3});
            RawClient.Message error = raw.readUntil('E');
            assertThat(error.fields()).containsEntry('C', "08P01");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertStillServing();
    }

    @Test
    void messageLengthBelowFourGetsProtocolViolation() throws Exception {
        try (RawClient raw = loggedInRawClient()) {
            raw.send(new byte[] {'Q', 0, 0, 0, 2});
            assertThat(raw.readUntil('E').fields()).containsEntry('C', "08P01");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void unsupportedProtocolVersionIsRefused() throws Exception {
        try (RawClient raw = new RawClient(proxy.port())) {
            raw.out.writeInt(8);
            raw.out.writeInt(2 << 16);
            raw.out.flush();
            assertThat(raw.readUntil('E').fields()).containsEntry('C', "08P01");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void wrongPasswordAndUnknownUserLookTheSame() {
        Properties wrong = new Properties();
        wrong.setProperty("user", proxy.pg.user());
        wrong.setProperty("password", "not-the-password");
        Properties unknown = new Properties();
        unknown.setProperty("user", "nobody_here");
        unknown.setProperty("password", "whatever");
        for (Properties p : new Properties[] {wrong, unknown}) {
            assertThatThrownBy(() -> DriverManager.getConnection(proxy.jdbcUrl(), p).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("28P01");
                        assertThat(e.getMessage()).contains("password authentication failed for user \""
                                + p.getProperty("user") + "\"");
                    });
        }
    }

    @Test
    void unknownDatabaseIsRefusedWith3D000() {
        Properties p = new Properties();
        p.setProperty("user", proxy.pg.user());
        p.setProperty("password", proxy.pg.password());
        assertThatThrownBy(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/no_such_db", p).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
    }

    @Test
    void backendLoginAsAnMd5Role() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", proxy.pg.md5User());
        p.setProperty("password", proxy.pg.md5Password());
        try (Connection c = DriverManager.getConnection(proxy.jdbcUrl(), p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(proxy.pg.md5User());
        }
    }

    @Test
    void clientKilledMidTransactionLeavesNoOpenTransaction() throws Exception {
        int backendPid;
        Connection victim = proxy.connect();
        try (Statement s = victim.createStatement()) {
            victim.setAutoCommit(false);
            s.execute("CREATE TEMP TABLE killed_tx (x int)");
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backendPid = rs.getInt(1);
            }
        }
        assertThat(backendState(backendPid)).isEqualTo("idle in transaction");
        victim.abort(Executors.newSingleThreadExecutor()); // drops the socket without a Terminate
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String state = backendState(backendPid);
        while (System.nanoTime() < deadline && "idle in transaction".equals(state)) {
            Thread.sleep(20);
            state = backendState(backendPid);
        }
        assertThat(state).isIn("idle", null); // rolled back and reset, or closed
        assertStillServing();
    }

    @Test
    void backendTerminatedUnderAClientFailsOnlyThatClient() throws Exception {
        try (Connection victim = proxy.connect(); Connection bystander = proxy.connect();
             Statement vs = victim.createStatement(); Statement bs = bystander.createStatement()) {
            int pid;
            try (ResultSet rs = vs.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (Connection direct = proxy.pg.connect(); Statement ds = direct.createStatement()) {
                ds.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            assertThatThrownBy(() -> vs.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
            try (ResultSet rs = bs.executeQuery("SELECT 7")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
        }
        assertStillServing();
    }

    private static RawClient loggedInRawClient() throws Exception {
        RawClient raw = new RawClient(proxy.port());
        raw.sendStartup(proxy.pg.user(), proxy.pg.database());
        RawClient.Message auth = raw.read();
        assertThat(auth.type()).isEqualTo('R');
        byte[] salt = java.util.Arrays.copyOfRange(auth.body(), 4, 8);
        String response = io.pgmux.protocol.auth.Md5Password.clientResponse(proxy.pg.user(), proxy.pg.password(), salt);
        raw.sendTyped('p', (response + "\0").getBytes(StandardCharsets.UTF_8));
        raw.readUntil('Z');
        return raw;
    }

    private static String backendState(int pid) throws SQLException {
        try (Connection direct = proxy.pg.connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT state FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void assertStillServing() throws SQLException {
        try (Connection c = proxy.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 'still serving'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("still serving");
        }
    }
}
