package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.protocol.auth.ScramClient;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile SCRAM exchanges over a bare socket: each ends with a clean FATAL 28P01 or 08P01 and a closed
 * connection, never an exception, a hang or a leak, and pgmux keeps serving.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScramBadInputIntegrationTest {
    static final PostgresFixture pg = PostgresFixture.shared();
    static PgmuxServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new PgmuxServer(ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                auth_type: scram-sha-256
                pool:
                  mode: session
                  default_pool_size: 2
                timeouts:
                  client_login_timeout: 2s
                  server_connect_timeout: 10s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                """.formatted(pg.database(), pg.host(), pg.port(), pg.user(), pg.password()))).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void truncatedClientFirstMessage() throws Exception {
        try (RawClient raw = saslStarted()) {
            sendInitial(raw, "n,,n=".getBytes(StandardCharsets.UTF_8));
            assertFailsWith(raw, "28P01");
        }
        assertStillServing();
    }

    @Test
    void initialResponseWhoseLengthOverrunsTheMessage() throws Exception {
        try (RawClient raw = saslStarted()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            out.write("SCRAM-SHA-256\0".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(1000); // claims 1000 bytes, sends 5
            out.write("n,,n=".getBytes(StandardCharsets.US_ASCII));
            raw.sendTyped('p', body.toByteArray());
            assertFailsWith(raw, "08P01");
        }
    }

    @Test
    void truncatedClientFinalMessage() throws Exception {
        try (RawClient raw = saslStarted()) {
            ScramClient scram = new ScramClient(pg.password());
            sendInitial(raw, scram.clientFirstMessage());
            readSaslContinue(raw);
            raw.sendTyped('p', "c=biws,r=".getBytes(StandardCharsets.UTF_8));
            assertFailsWith(raw, "28P01");
        }
    }

    @Test
    void wrongNonceInClientFinal() throws Exception {
        try (RawClient raw = saslStarted()) {
            ScramClient scram = new ScramClient(pg.password());
            sendInitial(raw, scram.clientFirstMessage());
            byte[] serverFirst = readSaslContinue(raw);
            String proper = new String(scram.clientFinalMessage(serverFirst), StandardCharsets.UTF_8);
            String tampered = proper.replaceFirst(",r=([^,]*),", ",r=$1x,");
            assertThat(tampered).isNotEqualTo(proper);
            raw.sendTyped('p', tampered.getBytes(StandardCharsets.UTF_8));
            assertFailsWith(raw, "28P01");
        }
    }

    @Test
    void replayedProofIsRefused() throws Exception {
        byte[] clientFirst;
        byte[] clientFinal;
        try (RawClient first = saslStarted()) {
            ScramClient scram = new ScramClient(pg.password());
            clientFirst = scram.clientFirstMessage();
            sendInitial(first, clientFirst);
            clientFinal = scram.clientFinalMessage(readSaslContinue(first));
            first.sendTyped('p', clientFinal);
            assertThat(first.read().type()).isEqualTo('R'); // SASLFinal: the genuine login works
        }
        try (RawClient replay = saslStarted()) {
            sendInitial(replay, clientFirst); // same client nonce, but pgmux picks a fresh server nonce
            readSaslContinue(replay);
            replay.sendTyped('p', clientFinal);
            assertFailsWith(replay, "28P01");
        }
    }

    @Test
    void oversizedAttributeIsRefusedBeforeItIsBuffered() throws Exception {
        try (RawClient raw = saslStarted()) {
            byte[] huge = ("n,,n=" + "u".repeat(200_000) + ",r=abc").getBytes(StandardCharsets.UTF_8);
            ByteBuffer header = ByteBuffer.allocate(1 + 4 + 14 + 4);
            header.put((byte) 'p').putInt(4 + 14 + 4 + huge.length).put("SCRAM-SHA-256\0".getBytes(
                    StandardCharsets.US_ASCII)).putInt(huge.length);
            raw.send(header.array()); // the header alone is enough for pgmux to refuse the length
            assertFailsWith(raw, "08P01");
        }
        assertStillServing();
    }

    @Test
    void oversizedNonceWithinTheLimitIsA28P01() throws Exception {
        try (RawClient raw = saslStarted()) {
            sendInitial(raw, ("n,,n=,r=" + "a".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
            assertFailsWith(raw, "28P01");
        }
    }

    @Test
    void wrongMessageTypeDuringSasl() throws Exception {
        try (RawClient raw = saslStarted()) {
            raw.sendQuery("SELECT 1");
            assertFailsWith(raw, "08P01");
        }
    }

    @Test
    void clientThatStopsHalfwayIsDroppedAtTheLoginTimeout() throws Exception {
        try (RawClient raw = saslStarted()) {
            sendInitial(raw, new ScramClient(pg.password()).clientFirstMessage());
            readSaslContinue(raw);
            long start = System.nanoTime();
            RawClient.Message error = raw.read(); // nothing more is sent
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('C', "08P01");
            assertThat(error.fields().get('M')).contains("client_login_timeout");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(9_000);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    private static RawClient saslStarted() throws IOException {
        RawClient raw = new RawClient(server.port());
        raw.sendStartup(pg.user(), pg.database());
        RawClient.Message request = raw.read();
        assertThat(request.type()).isEqualTo('R');
        assertThat(ByteBuffer.wrap(request.body()).getInt()).isEqualTo(10); // AuthenticationSASL
        return raw;
    }

    private static void sendInitial(RawClient raw, byte[] data) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.write("SCRAM-SHA-256\0".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(data.length);
        out.write(data);
        raw.sendTyped('p', body.toByteArray());
    }

    private static byte[] readSaslContinue(RawClient raw) throws IOException {
        RawClient.Message message = raw.read();
        assertThat(message.type()).isEqualTo('R');
        ByteBuffer body = ByteBuffer.wrap(message.body());
        assertThat(body.getInt()).isEqualTo(11); // AuthenticationSASLContinue
        byte[] data = new byte[body.remaining()];
        body.get(data);
        return data;
    }

    private static void assertFailsWith(RawClient raw, String sqlState) throws IOException {
        RawClient.Message error = raw.read();
        assertThat(error).isNotNull();
        assertThat(error.type()).isEqualTo('E');
        assertThat(error.fields()).containsEntry('S', "FATAL").containsEntry('C', sqlState);
        assertThat(raw.closedByServer()).isTrue();
    }

    private static void assertStillServing() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/"
                + pg.database(), p); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 7")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }
    }
}
