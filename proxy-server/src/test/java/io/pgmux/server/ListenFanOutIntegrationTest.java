package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.pool.Pool;
import io.pgmux.server.notify.NotifyHubs;
import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTEN/NOTIFY under transaction pooling with pool.listen: fan-out (the default): listening clients share backends,
 * pgmux answers LISTEN and UNLISTEN itself and hands each client the notifications of its channels, with
 * PostgreSQL's transaction rules. Drives real pgjdbc connections and a raw protocol client against real PostgreSQL.
 */
@DetectLeaks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ListenFanOutIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 2, "md5", "max_queued_notifications: 20", "").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void twoHundredListenersOnAPoolOfTwoGetEveryNotificationExactlyOnce() throws Exception {
        List<Connection> listeners = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Connection c = proxy.connect();
                listeners.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN fan_" + (i % 2 == 0 ? "even" : "odd"));
                    if (i % 10 == 0) {
                        s.execute("LISTEN fan_tenth");
                    }
                }
            }
            assertThat(backendsOfTheTestUser()).as("backends PostgreSQL sees for 200 listening clients")
                    .isLessThanOrEqualTo(2);
            try (Connection viaPgmux = proxy.connect(); Statement s = viaPgmux.createStatement();
                 Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
                for (int n = 0; n < 5; n++) {
                    s.execute("NOTIFY fan_even, 'pgmux " + n + "'");
                    d.execute("SELECT pg_notify('fan_odd', 'direct " + n + "')");
                    d.execute("NOTIFY fan_tenth, 'tenth " + n + "'");
                }
                s.execute("NOTIFY fan_nobody, 'lost'");
            }
            for (int i = 0; i < listeners.size(); i++) {
                List<String> expected = new ArrayList<>();
                for (int n = 0; n < 5; n++) {
                    expected.add(i % 2 == 0 ? "fan_even:pgmux " + n : "fan_odd:direct " + n);
                    if (i % 10 == 0) {
                        expected.add("fan_tenth:tenth " + n);
                    }
                }
                List<String> got = notifications(listeners.get(i), expected.size());
                assertThat(got).as("listener %d", i).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(got.stream().filter(n -> n.startsWith("fan_even")).toList())
                        .as("in the order they were sent").isSorted();
            }
            Thread.sleep(300);
            for (Connection c : listeners) {
                assertThat(((PGConnection) c).getNotifications()).as("nothing more, nothing twice").isEmpty();
            }
        } finally {
            for (Connection c : listeners) {
                c.close();
            }
        }
        awaitNoListeningBackend();
    }

    @Test
    void listenAnsweredWithoutPinningAndOwnNotifyCarriesPostgresPid() throws Exception {
        try (RawClient client = login()) {
            client.sendQuery("LISTEN own_channel");
            assertThat(client.commandTags()).containsExactly("LISTEN");
            assertThat(proxy.anotherClientGetsIn()).isTrue();
            client.sendQuery("NOTIFY own_channel, 'mine'; SELECT pg_backend_pid()");
            RawClient.Message row = null;
            RawClient.Message notification = null;
            RawClient.Message m;
            while ((m = client.read()).type() != 'Z') {
                if (m.type() == 'D') {
                    row = m;
                }
            }
            notification = client.readUntil('A');
            int backendPid = Integer.parseInt(new String(row.body(), 6, row.body().length - 6,
                    StandardCharsets.US_ASCII));
            assertThat(ByteBuffer.wrap(notification.body()).getInt()).as("PostgreSQL's pid of the sender")
                    .isEqualTo(backendPid);
            assertThat(text(notification)).isEqualTo("own_channel:mine");
        }
    }

    @Test
    void extendedProtocolListenIsAnsweredAsPostgresWould() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendTyped('P', "\0LISTEN ext_channel\0\0\0".getBytes(StandardCharsets.UTF_8));
            client.sendTyped('D', "S\0".getBytes(StandardCharsets.UTF_8));
            client.sendTyped('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
            client.sendTyped('D', "P\0".getBytes(StandardCharsets.UTF_8));
            client.sendTyped('E', new byte[] {0, 0, 0, 0, 0});
            client.sendTyped('S', new byte[0]);
            List<String> answers = new ArrayList<>();
            RawClient.Message m;
            while ((m = client.read()).type() != 'Z') {
                answers.add(m.type() == 'C' ? "C " + new String(m.body(), 0, m.body().length - 1,
                        StandardCharsets.US_ASCII) : String.valueOf(m.type()));
            }
            assertThat(answers).containsExactly("1", "t", "n", "2", "n", "C LISTEN");
            assertThat((char) m.body()[0]).isEqualTo('I');
            assertThat(proxy.anotherClientGetsIn()).isTrue();
            d.execute("NOTIFY ext_channel, 'extended'");
            assertThat(text(client.readUntil('A'))).isEqualTo("ext_channel:extended");
        }
    }

    @Test
    void aClientHoldingABackendNeverWaitsForTheListeningOne() throws Exception {
        try (RawClient a = login(); RawClient b = login(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            a.sendQuery("BEGIN; SELECT 1");
            a.commandTags();
            b.sendQuery("BEGIN; SELECT 1");
            b.commandTags(); // both backends of the pool are held: the listening backend must wait for one
            a.sendQuery("LISTEN held_pool");
            RawClient.Message answer = nextMessageWithin(a, 2000);
            assertThat(answer).as("answered at once, not after a backend came free").isNotNull();
            assertThat(answer.type()).isEqualTo('C');
            a.commandTags();
            a.sendQuery("COMMIT");
            a.commandTags();
            b.sendQuery("COMMIT");
            b.commandTags();
            RawClient.Message got = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int n = 0; got == null && System.nanoTime() < deadline; n++) {
                d.execute("NOTIFY held_pool, '" + n + "'");
                got = nextMessageWithin(a, 200);
            }
            assertThat(got).as("the listening backend subscribed once a backend came free").isNotNull();
            assertThat(text(got)).startsWith("held_pool:");
        }
        awaitNoListeningBackend();
    }

    @Test
    void listenThenRollbackSubscribesNothing() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("BEGIN");
            client.commandTags();
            client.sendQuery("LISTEN rolled_back");
            assertThat(client.commandTags()).containsExactly("LISTEN");
            client.sendQuery("ROLLBACK");
            client.commandTags();
            d.execute("NOTIFY rolled_back, 'not for you'");
            assertThat(nextMessageWithin(client, 500)).isNull();

            client.sendQuery("BEGIN");
            client.commandTags();
            client.sendQuery("LISTEN committed");
            client.commandTags();
            d.execute("NOTIFY committed, 'too early'"); // before COMMIT: not listening yet
            Thread.sleep(300); // relayed by now (see docs/architecture.md on notifications racing a COMMIT)
            client.sendQuery("COMMIT");
            client.commandTags();
            d.execute("NOTIFY committed, 'after commit'");
            assertThat(text(client.readUntil('A'))).isEqualTo("committed:after commit");
        }
    }

    @Test
    void pgjdbcWithoutAutocommitListensAtCommitOnly() throws Exception {
        try (Connection c = proxy.connect(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN jdbc_tx");
                c.rollback();
                d.execute("NOTIFY jdbc_tx, 'rolled back'");
                assertThat(((PGConnection) c).getNotifications(300)).isEmpty();
                s.execute("LISTEN jdbc_tx");
                c.commit();
                d.execute("NOTIFY jdbc_tx, 'committed'");
                assertThat(notifications(c, 1)).containsExactly("jdbc_tx:committed");
            }
        }
    }

    /**
     * The hub cannot LISTEN before the COMMIT (both backends are busy, and a client waits for one ahead of the hub):
     * the COMMIT's answer waits for the hub, so a NOTIFY made once COMMIT returned still reaches the client, as it
     * would on PostgreSQL.
     */
    @Test
    void commitReturnsOnlyOnceTheHubListens() throws Exception {
        ExecutorService sleepers = Executors.newFixedThreadPool(2);
        try (Connection c = proxy.connect(); Connection busy = proxy.connect(); Connection queued = proxy.connect();
             Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT 1"); // the transaction holds one backend of two
                Future<?> first = sleepers.submit(() -> sleep(busy, 1.0)); // the other backend
                Thread.sleep(200);
                Future<?> second = sleepers.submit(() -> sleep(queued, 0.1)); // queued ahead of the hub
                Thread.sleep(200);
                s.execute("LISTEN slow_hub");
                c.commit();
                d.execute("NOTIFY slow_hub, 'after commit'");
                assertThat(notifications(c, 1)).containsExactly("slow_hub:after commit");
                first.get(10, TimeUnit.SECONDS);
                second.get(10, TimeUnit.SECONDS);
            }
        } finally {
            sleepers.shutdownNow();
        }
        awaitNoListeningBackend();
    }

    private static Void sleep(Connection c, double seconds) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(" + seconds + ")");
        }
        return null;
    }

    /**
     * LISTEN beside other statements in one Query goes to PostgreSQL (as an UNLISTEN, a no-op there) in its turn:
     * the client gets PostgreSQL's answers with the LISTEN tag in place, listens, and pins nothing.
     */
    @Test
    void listenAmongOtherStatementsNeedsNoPin() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("SELECT 1; LISTEN mixed_a; SELECT 2; UNLISTEN mixed_b");
            assertThat(client.commandTags()).containsExactly("SELECT 1", "LISTEN", "SELECT 1", "UNLISTEN");
            assertFannedOut();
            d.execute("NOTIFY mixed_a, 'one'");
            assertThat(text(client.readUntil('A'))).isEqualTo("mixed_a:one");
            client.sendQuery("SELECT 1; UNLISTEN mixed_a");
            assertThat(client.commandTags()).containsExactly("SELECT 1", "UNLISTEN");
            d.execute("NOTIFY mixed_a, 'two'");
            assertThat(nextMessageWithin(client, 500)).isNull();
        }
        awaitNoListeningBackend();
    }

    /** As on PostgreSQL: an error before the LISTEN skips it, and a ROLLBACK undoes it. */
    @Test
    void listenAmongOtherStatementsFollowsErrorsAndRollback() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("SELECT 1/0; LISTEN mixed_err");
            RawClient.Message m;
            List<Character> types = new ArrayList<>();
            while ((m = client.read()).type() != 'Z') {
                types.add(m.type());
            }
            assertThat(types).containsExactly('E');
            client.sendQuery("BEGIN; LISTEN mixed_rb; SELECT 1");
            assertThat(client.commandTags()).containsExactly("BEGIN", "LISTEN", "SELECT 1");
            client.sendQuery("ROLLBACK");
            assertThat(client.commandTags()).containsExactly("ROLLBACK");
            client.sendQuery("BEGIN; SELECT 1/0");
            client.readUntil('Z');
            client.sendQuery("SELECT 1; LISTEN mixed_failed");
            RawClient.Message refusal = client.readUntil('E');
            assertThat(refusal.fields()).containsEntry('C', "25P02");
            client.readUntil('Z');
            client.sendQuery("ROLLBACK");
            client.commandTags();
            d.execute("NOTIFY mixed_err, 'x'; NOTIFY mixed_rb, 'y'; NOTIFY mixed_failed, 'z'");
            assertThat(nextMessageWithin(client, 500)).isNull();
        }
        awaitNoListeningBackend();
    }

    /** A LISTEN sent while the client's earlier Query is still running is answered by PostgreSQL in its turn. */
    @Test
    void pipelinedListenNeedsNoPin() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("SELECT pg_sleep(0.2)");
            client.sendQuery("LISTEN piped");
            assertThat(client.commandTags()).containsExactly("SELECT 1");
            assertThat(client.commandTags()).containsExactly("LISTEN");
            assertFannedOut();
            d.execute("NOTIFY piped, 'after'");
            assertThat(text(client.readUntil('A'))).isEqualTo("piped:after");
        }
        awaitNoListeningBackend();
    }

    /** A LISTEN prepared under a name (pgjdbc from the first execution here) is prepared as UNLISTEN. */
    @Test
    void namedPreparedListenNeedsNoPin() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + proxy.pg.database() + "?prepareThreshold=1";
        try (Connection c = DriverManager.getConnection(url, proxy.pg.user(), proxy.pg.password());
             PreparedStatement listen = c.prepareStatement("LISTEN named_ch");
             PreparedStatement unlisten = c.prepareStatement("UNLISTEN named_ch");
             Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            listen.execute();
            listen.execute();
            assertFannedOut();
            d.execute("NOTIFY named_ch, 'x'");
            assertThat(notifications(c, 1)).containsExactly("named_ch:x");
            unlisten.execute();
            unlisten.execute();
            d.execute("NOTIFY named_ch, 'y'");
            assertThat(((PGConnection) c).getNotifications(300)).isEmpty();
        }
        awaitNoListeningBackend();
    }

    /** The listening backend LISTENs for the client, and is the only one lent: the client pinned none. */
    private static void assertFannedOut() throws InterruptedException {
        Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (pool.stats().active() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(proxy.server.notifyHubs().channels(pool)).as("channels of the listening backend")
                .isPositive();
        assertThat(pool.stats().active()).as("backends lent: the listening one only").isEqualTo(1);
    }

    @Test
    void unlistenAllAndUnlistenOne() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("LISTEN u_a; LISTEN u_b; LISTEN u_c");
            assertThat(client.commandTags()).containsExactly("LISTEN", "LISTEN", "LISTEN");
            client.sendQuery("UNLISTEN u_a");
            assertThat(client.commandTags()).containsExactly("UNLISTEN");
            d.execute("NOTIFY u_a, '1'; NOTIFY u_b, '2'");
            assertThat(text(client.readUntil('A'))).isEqualTo("u_b:2");
            client.sendQuery("UNLISTEN *");
            assertThat(client.commandTags()).containsExactly("UNLISTEN");
            d.execute("NOTIFY u_b, '3'; NOTIFY u_c, '4'");
            assertThat(nextMessageWithin(client, 500)).isNull();
        }
        awaitNoListeningBackend();
    }

    @Test
    void notificationsWaitForTheEndOfALongTransaction() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("LISTEN long_tx");
            client.commandTags();
            client.sendQuery("BEGIN");
            client.commandTags();
            d.execute("NOTIFY long_tx, 'during'");
            Thread.sleep(300); // the hub has handed it to the client's inbox by now
            client.sendQuery("SELECT pg_sleep(0.2)");
            List<Character> types = new ArrayList<>();
            RawClient.Message m;
            while ((m = client.read()).type() != 'Z') {
                types.add(m.type());
            }
            assertThat(types).as("nothing delivered inside the transaction").doesNotContain('A');
            client.sendQuery("COMMIT");
            client.commandTags();
            assertThat(text(client.readUntil('A'))).isEqualTo("long_tx:during");
        }
    }

    @Test
    void aClientThatLeavesIsUnsubscribedAndTheListenerGivenBack() throws Exception {
        Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
        try (RawClient stays = login()) {
            try (RawClient leaves = login()) {
                leaves.sendQuery("LISTEN leaving");
                leaves.commandTags();
                stays.sendQuery("LISTEN staying");
                stays.commandTags();
                assertThat(pool.stats().active()).as("the listening backend").isEqualTo(1);
            }
            try (Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
                NotifyHubs hubs = proxy.server.notifyHubs();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (hubs.channels(pool) != 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(hubs.channels(pool)).as("only the channel of the client that stayed").isEqualTo(1);
                assertThat(hubs.figures().listeningClients()).isEqualTo(1);
                d.execute("NOTIFY staying, 'still here'");
                assertThat(text(stays.readUntil('A'))).isEqualTo("staying:still here");
            }
        }
        awaitNoListeningBackend();
    }

    @Test
    void aTerminatedListenerIsReplacedAndListenersWarned() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("LISTEN survives");
            client.commandTags();
            d.execute("NOTIFY survives, 'before'");
            assertThat(text(client.readUntil('A'))).isEqualTo("survives:before");
            try (ResultSet rs = d.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE 'LISTEN \"%' AND usename = current_user")) {
                assertThat(rs.next()).isTrue();
            }
            RawClient.Message warning = client.readUntil('N');
            assertThat(warning.fields().get('S')).isEqualTo("WARNING");
            assertThat(warning.fields().get('M')).contains("may have been missed");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            RawClient.Message after = null;
            for (int n = 0; after == null && System.nanoTime() < deadline; n++) {
                d.execute("NOTIFY survives, 'after " + n + "'");
                after = nextMessageWithin(client, 200);
            }
            assertThat(after).as("a notification through the new listening backend").isNotNull();
            assertThat(text(after)).startsWith("survives:after");
        }
    }

    @Test
    void aClientThatQueuesTooManyNotificationsIsDisconnectedWith53400() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            client.sendQuery("LISTEN flood");
            client.commandTags();
            client.sendQuery("BEGIN; SELECT 1");
            client.commandTags(); // inside a transaction: notifications are held
            for (int n = 0; n < 21; n++) {
                d.execute("NOTIFY flood, '" + n + "'");
            }
            RawClient.Message error = client.readUntil('E');
            assertThat(error.fields().get('C')).isEqualTo("53400");
            assertThat(error.fields().get('S')).isEqualTo("FATAL");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    private static RawClient login() throws IOException {
        RawClient client = new RawClient(proxy.port());
        client.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
        return client;
    }

    /** channel:payload of a NotificationResponse. */
    private static String text(RawClient.Message notification) {
        assertThat(notification.type()).isEqualTo('A');
        byte[] body = notification.body();
        int channelEnd = 4;
        while (body[channelEnd] != 0) {
            channelEnd++;
        }
        return new String(body, 4, channelEnd - 4, StandardCharsets.UTF_8) + ":"
                + new String(body, channelEnd + 1, body.length - channelEnd - 2, StandardCharsets.UTF_8);
    }

    private static RawClient.Message nextMessageWithin(RawClient client, int millis) throws IOException {
        client.socket.setSoTimeout(millis);
        try {
            int type = client.in.read();
            if (type < 0) {
                return null;
            }
            client.socket.setSoTimeout(10_000);
            byte[] body = new byte[client.in.readInt() - 4];
            client.in.readFully(body);
            return new RawClient.Message((char) type, body);
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            client.socket.setSoTimeout(10_000);
        }
    }

    /** Reads until {@code count} notifications arrived (or 10 s passed), as channel:payload. */
    private static List<String> notifications(Connection c, int count) throws SQLException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < count && System.nanoTime() < deadline) {
            PGNotification[] batch = ((PGConnection) c).getNotifications(200);
            for (PGNotification n : batch) {
                got.add(n.getName() + ":" + n.getParameter());
            }
        }
        return got;
    }

    private static int backendsOfTheTestUser() throws SQLException {
        try (Connection c = proxy.pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = current_user"
                     + " AND datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitNoListeningBackend() throws InterruptedException {
        Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.stats().active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.stats().active()).as("the listening backend went back once nobody listened").isZero();
    }
}
