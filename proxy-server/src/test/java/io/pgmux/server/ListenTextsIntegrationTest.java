package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.pool.Pool;
import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * LISTEN texts that depend on how PostgreSQL reads them, answered or relayed under pool.listen: fan-out without a
 * pin: channel names PostgreSQL truncates, backslashes under either standard_conforming_strings, and text in a client
 * encoding other than UTF-8. Each is compared with what PostgreSQL does for a client connected to it directly.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenTextsIntegrationTest {
    private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 2, "md5", "", "").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    /** PostgreSQL truncates identifiers to 63 bytes with a NOTICE, in LISTEN and in NOTIFY alike. */
    @Test
    void longChannelNamesAreTruncatedAsPostgresDoesWithItsNotice() throws Exception {
        String name = "long_channel_" + "x".repeat(49) + "é" + "tail"; // byte 63 falls inside the é
        String truncated = name.substring(0, name.indexOf('é'));
        try (RawClient client = login(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            d.execute("LISTEN \"" + name + "\"");
            SQLWarning expected = d.getWarnings();
            d.execute("UNLISTEN *");
            client.sendQuery("LISTEN \"" + name + "\"");
            RawClient.Message notice = client.read();
            assertThat(notice.type()).isEqualTo('N');
            assertThat(notice.fields().get('C')).isEqualTo(expected.getSQLState()).isEqualTo("42622");
            assertThat(notice.fields().get('M')).isEqualTo(expected.getMessage());
            assertThat(client.commandTags()).containsExactly("LISTEN");
            assertFannedOut();
            d.execute("NOTIFY \"" + name + "\", 'long'");
            assertThat(text(client.readUntil('A'), StandardCharsets.UTF_8)).isEqualTo(truncated + ":long");
            client.sendQuery("UNLISTEN \"" + truncated + "\"");
            assertThat(client.commandTags()).containsExactly("UNLISTEN");
        }
        awaitNoListeningBackend();
    }

    /** pgjdbc sends LISTEN as an unnamed Parse: the NOTICE comes with its answers, as PostgreSQL's would. */
    @Test
    void pgjdbcGetsTheTruncationNoticeAsAWarning() throws Exception {
        String name = "jdbc_" + "y".repeat(70);
        try (Connection c = proxy.connect(); Statement s = c.createStatement(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            d.execute("LISTEN " + name);
            SQLWarning expected = d.getWarnings();
            d.execute("UNLISTEN *");
            s.execute("LISTEN " + name);
            SQLWarning warning = s.getWarnings();
            assertThat((Throwable) warning).as("the NOTICE, as a warning").isNotNull();
            assertThat(warning.getSQLState()).isEqualTo(expected.getSQLState());
            assertThat(warning.getMessage()).isEqualTo(expected.getMessage());
            assertFannedOut();
            d.execute("NOTIFY " + name + ", 'jdbc'");
            org.postgresql.PGNotification[] got = ((org.postgresql.PGConnection) c).getNotifications(5000);
            assertThat(got).hasSize(1);
            assertThat(got[0].getName()).isEqualTo(name.substring(0, 63));
            s.execute("UNLISTEN *");
        }
        awaitNoListeningBackend();
    }

    /** A backslash in an earlier string of the Query is read as the client's standard_conforming_strings says. */
    @Test
    void backslashesFollowTheClientsStandardConformingStrings() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            client.sendQuery("SELECT 'on\\'; LISTEN scs_on");
            assertThat(client.commandTags()).containsExactly("SELECT 1", "LISTEN");
            assertFannedOut();
            client.sendQuery("SET standard_conforming_strings = off");
            assertThat(client.commandTags()).containsExactly("SET");
            // Off, the backslash escapes the quote: "LISTEN scs_hidden" is inside the string.
            client.sendQuery("SELECT 'off\\'; LISTEN scs_hidden; SELECT '; LISTEN scs_off; SELECT 1");
            assertThat(client.commandTags()).containsExactly("SELECT 1", "LISTEN", "SELECT 1");
            client.sendQuery("LISTEN scs_only");
            assertThat(client.commandTags()).containsExactly("LISTEN");
            assertFannedOut();
            d.execute("NOTIFY scs_hidden, 'no'; NOTIFY scs_on, 'on'; NOTIFY scs_off, 'off'");
            List<String> got = new ArrayList<>();
            got.add(text(client.readUntil('A'), StandardCharsets.UTF_8));
            got.add(text(client.readUntil('A'), StandardCharsets.UTF_8));
            assertThat(got).containsExactly("scs_on:on", "scs_off:off");
            client.sendQuery("RESET standard_conforming_strings; UNLISTEN *");
            client.commandTags();
        }
        awaitNoListeningBackend();
    }

    /** A LATIN1 client's LISTEN of a non-ASCII channel: read in its encoding, notified in its encoding. */
    @Test
    void aLatin1ClientListensOnANonAsciiChannel() throws Exception {
        try (RawClient client = login(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            client.sendQuery("SET client_encoding = 'LATIN1'");
            assertThat(client.commandTags()).containsExactly("SET");
            sendQuery(client, "LISTEN \"café\"", LATIN1);
            assertThat(client.commandTags()).containsExactly("LISTEN");
            sendQuery(client, "SELECT 'é'; LISTEN \"thé\"", LATIN1);
            assertThat(client.commandTags()).containsExactly("SELECT 1", "LISTEN");
            assertFannedOut();
            d.execute("NOTIFY \"café\", 'crème'; NOTIFY \"thé\", 'menthe'");
            assertThat(text(client.readUntil('A'), LATIN1)).isEqualTo("café:crème");
            assertThat(text(client.readUntil('A'), LATIN1)).isEqualTo("thé:menthe");
            client.sendQuery("UNLISTEN *; RESET client_encoding");
            client.commandTags();
        }
        awaitNoListeningBackend();
    }

    /**
     * SJIS: the second byte of ソ is 0x5C, a backslash in ASCII. Read as characters, the string ends where
     * PostgreSQL ends it (a byte-wise reading with standard_conforming_strings off would not), and the LISTEN is
     * rewritten on the client's bytes.
     */
    @Test
    void anSjisClientsBackslashByteInsideACharacterIsNoBackslash() throws Exception {
        Charset sjis = Charset.forName("windows-31j");
        try (RawClient client = login(); Connection direct = proxy.pg.connect();
             Statement d = direct.createStatement()) {
            client.sendQuery("SET client_encoding = 'SJIS'");
            assertThat(client.commandTags()).containsExactly("SET");
            sendQuery(client, "SELECT 'ソ'; LISTEN sjis_ch", sjis);
            assertThat(client.commandTags()).containsExactly("SELECT 1", "LISTEN");
            sendQuery(client, "LISTEN \"sjis_ソ\"", sjis); // a name PostgreSQL's table maps: left to it, pinned
            assertThat(client.commandTags()).containsExactly("LISTEN");
            sendQuery(client, "UNLISTEN \"sjis_ソ\"", sjis); // undone on the pinned backend, which goes back
            assertThat(client.commandTags()).containsExactly("UNLISTEN");
            assertFannedOut();
            d.execute("NOTIFY sjis_ch, 'ソ'");
            assertThat(text(client.readUntil('A'), sjis)).isEqualTo("sjis_ch:ソ");
            client.sendQuery("UNLISTEN *; RESET client_encoding");
            client.commandTags();
        }
        awaitNoListeningBackend();
    }

    private static void sendQuery(RawClient client, String sql, Charset encoding) throws IOException {
        byte[] text = sql.getBytes(encoding);
        byte[] body = new byte[text.length + 1];
        System.arraycopy(text, 0, body, 0, text.length);
        client.sendTyped('Q', body);
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

    private static void awaitNoListeningBackend() throws InterruptedException {
        Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.stats().active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(pool.stats().active()).as("the listening backend went back once nobody listened").isZero();
    }

    private static RawClient login() throws IOException {
        RawClient client = new RawClient(proxy.port());
        client.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
        return client;
    }

    /** channel:payload of a NotificationResponse, decoded from {@code encoding}. */
    private static String text(RawClient.Message notification, Charset encoding) {
        assertThat(notification.type()).isEqualTo('A');
        byte[] body = notification.body();
        int channelEnd = 4;
        while (body[channelEnd] != 0) {
            channelEnd++;
        }
        return new String(body, 4, channelEnd - 4, encoding) + ":"
                + new String(body, channelEnd + 1, body.length - channelEnd - 2, encoding);
    }
}
