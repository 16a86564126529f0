package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTEN and UNLISTEN inside subtransactions under pool.listen: fan-out: what ROLLBACK TO SAVEPOINT undoes does not
 * count at COMMIT, what RELEASE keeps does, names resolved newest first as PostgreSQL resolves them. Each script is
 * run on a connection straight to PostgreSQL too, whose pg_listening_channels() says what must reach the client.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenSavepointsIntegrationTest {
    private static final List<String> CHANNELS = List.of("sp_a", "sp_b", "sp_c", "sp_d", "sp_e", "sp_f");
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 2, "md5", "", "").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void rollbackToSavepointUndoesTheSubtransactionsListens() throws Exception {
        assertSameAsPostgres(List.of("BEGIN", "LISTEN sp_a", "SAVEPOINT one", "LISTEN sp_b", "SAVEPOINT two",
                "LISTEN sp_c", "ROLLBACK TO one", "LISTEN sp_d", "RELEASE SAVEPOINT one", "COMMIT"));
    }

    @Test
    void savepointsMadeBeforeTheListenAndNamesUsedTwice() throws Exception {
        assertSameAsPostgres(List.of("BEGIN", "SAVEPOINT s", "LISTEN sp_a", "SAVEPOINT s", "LISTEN sp_b",
                "ROLLBACK TO SAVEPOINT s", "LISTEN sp_c", "RELEASE s", "ROLLBACK TRANSACTION TO s", "LISTEN sp_d",
                "COMMIT"));
    }

    @Test
    void rollbackToSavepointRecoversFromAnError() throws Exception {
        assertSameAsPostgres(List.of("BEGIN", "LISTEN sp_a", "SAVEPOINT s", "LISTEN sp_b", "SELECT 1/0",
                "ROLLBACK TO s", "LISTEN sp_c", "COMMIT"));
    }

    @Test
    void allInOneQuery() throws Exception {
        assertSameAsPostgres(List.of("BEGIN; LISTEN sp_a; SAVEPOINT x; LISTEN sp_b; ROLLBACK TO x; LISTEN sp_c;"
                + " SAVEPOINT y; UNLISTEN sp_a; ROLLBACK TO y; COMMIT"));
    }

    /** pgjdbc sends its savepoint statements in the extended protocol. */
    @Test
    void pgjdbcSavepoints() throws Exception {
        try (Connection c = proxy.connect(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN sp_e");
                Savepoint sp = c.setSavepoint();
                s.execute("LISTEN sp_f");
                c.rollback(sp);
                c.commit();
            }
            d.execute("NOTIFY sp_f, 'undone'; NOTIFY sp_e, 'kept'");
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                c.commit();
                PGNotification[] batch = ((PGConnection) c).getNotifications(200);
                for (PGNotification n : batch) {
                    got.add(n.getName());
                }
            }
            assertThat(got).containsExactly("sp_e");
        }
    }

    /** Runs {@code script} straight on PostgreSQL and through pgmux; the client listens where PostgreSQL does. */
    private static void assertSameAsPostgres(List<String> script) throws Exception {
        List<String> expected;
        try (Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            for (String sql : script) {
                try {
                    d.execute(sql);
                } catch (java.sql.SQLException e) {
                    // as through pgmux: the error leaves the transaction failed
                }
            }
            try (ResultSet rs = d.executeQuery("SELECT array_agg(c ORDER BY c) FROM pg_listening_channels() c")) {
                rs.next();
                Array channels = rs.getArray(1);
                expected = channels == null ? List.of() : Arrays.asList((String[]) channels.getArray());
            }
            d.execute("UNLISTEN *");
        }
        try (RawClient client = new RawClient(proxy.port()); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            client.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            for (String sql : script) {
                client.sendQuery(sql);
                client.readUntil('Z');
            }
            client.sendQuery("LISTEN sp_done");
            client.readUntil('Z');
            StringBuilder notify = new StringBuilder();
            for (String channel : CHANNELS) {
                notify.append("NOTIFY ").append(channel).append("; ");
            }
            d.execute(notify + "NOTIFY sp_done");
            List<String> got = new ArrayList<>();
            String channel;
            while (!(channel = channelOf(client.readUntil('A'))).equals("sp_done")) {
                got.add(channel);
            }
            assertThat(got).as("channels the client listens on after %s", script)
                    .containsExactlyElementsOf(expected).isNotEmpty();
        }
    }

    private static String channelOf(RawClient.Message notification) {
        byte[] body = notification.body();
        int end = 4;
        while (body[end] != 0) {
            end++;
        }
        return new String(body, 4, end - 4, StandardCharsets.UTF_8);
    }

}
