package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * max_parsed_message_length: a message pgmux must read whole and that is longer gets 54000 (and the session goes on
 * when nothing is in flight), while streamed messages (Bind parameters) are not bound by it; and a backend left in
 * the middle of a streamed message is closed, never lent again.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MessageLimitsIntegrationTest {
    private static final int LIMIT = 1024 * 1024;
    private static final String LIMIT_YAML = "max_parsed_message_length: " + LIMIT;

    private static TestProxy proxy(String mode, int poolSize) throws InterruptedException {
        return TestProxy.start(mode, poolSize, "md5", "", "", LIMIT_YAML);
    }

    private static RawClient login(TestProxy proxy) throws IOException {
        RawClient client = new RawClient(proxy.port());
        client.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
        return client;
    }

    private static String tooLongQuery() {
        return "SELECT '" + "x".repeat(2 * LIMIT) + "'";
    }

    @Test
    void queryOverTheLimitGetsProgramLimitExceededAndTheSessionGoesOn() throws Exception {
        try (TestProxy proxy = proxy("transaction", 1); RawClient big = login(proxy); RawClient other = login(proxy)) {
            assertThat(selectOne(other)).isEqualTo(1);
            big.sendQuery(tooLongQuery());
            RawClient.Message error = big.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('C', "54000").containsEntry('S', "ERROR");
            assertThat(error.fields().get('M')).contains("max_parsed_message_length");
            RawClient.Message ready = big.read();
            assertThat(ready.type()).isEqualTo('Z');
            assertThat(ready.body()).containsExactly('I');
            assertThat(selectOne(big)).as("the same client goes on").isEqualTo(1);
            assertThat(selectOne(other)).as("another client is unharmed").isEqualTo(1);
        }
    }

    @Test
    void parseOverTheLimitFailsItsBatchUpToTheSync() throws Exception {
        try (TestProxy proxy = proxy("transaction", 1); RawClient client = login(proxy)) {
            client.send(WireMessages.concat(WireMessages.parse("", tooLongQuery()), WireMessages.bind("", ""),
                    WireMessages.execute("", 0), WireMessages.sync()));
            RawClient.Message error = client.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('C', "54000");
            assertThat(client.read().type()).as("the Bind and Execute are skipped, the Sync answered").isEqualTo('Z');
            client.send(WireMessages.concat(WireMessages.parse("", "SELECT 1"), WireMessages.bind("", ""),
                    WireMessages.execute("", 0), WireMessages.sync()));
            assertThat(BulkWire.expect(client, 'D').body()).endsWith('1');
            BulkWire.expect(client, 'Z');
        }
    }

    @Test
    void queryOverTheLimitInsideATransactionEndsTheConnectionAndFreesTheBackend() throws Exception {
        try (TestProxy proxy = proxy("transaction", 1); RawClient client = login(proxy)) {
            client.sendQuery("BEGIN");
            assertThat(BulkWire.expect(client, 'Z').body()).containsExactly('T');
            client.sendQuery(tooLongQuery());
            RawClient.Message error = BulkWire.expect(client, 'E');
            assertThat(error.fields()).containsEntry('C', "54000").containsEntry('S', "FATAL");
            assertThat(client.closedByServer()).isTrue();
            try (RawClient next = login(proxy)) {
                assertThat(selectOne(next)).as("the only backend was rolled back and lent again").isEqualTo(1);
            }
        }
    }

    @Test
    void bindParametersAreNotBoundByTheLimit() throws Exception {
        try (TestProxy proxy = proxy("transaction", 1); Connection c = proxy.connect(namedStatements());
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS large_binds");
            s.execute("CREATE TABLE large_binds (v text)");
            String value = "v".repeat(3 * LIMIT);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO large_binds VALUES (?)")) {
                for (int i = 0; i < 3; i++) { // the later executions use a named statement, which pgmux renames
                    insert.setString(1, value);
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), min(length(v)) FROM large_binds")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getInt(2)).isEqualTo(value.length());
            }
            s.execute("DROP TABLE large_binds");
        }
    }

    @Test
    void backendLeftInTheMiddleOfAClientMessageIsClosed() throws Exception {
        try (TestProxy proxy = proxy("transaction", 1)) {
            int firstPid;
            try (RawClient client = login(proxy)) {
                client.sendQuery("BEGIN");
                BulkWire.expect(client, 'Z');
                firstPid = backendPid(client);
                // A CopyData outside COPY (PostgreSQL ignores it) announced at 10 MiB, cut off after 1 MiB.
                client.out.writeByte('d');
                client.out.writeInt(4 + 10 * LIMIT);
                client.out.write(new byte[LIMIT]);
                client.out.flush();
            }
            try (RawClient next = login(proxy)) {
                assertThat(backendPid(next)).as("a fresh backend").isNotEqualTo(firstPid);
                assertThat(selectOne(next)).isEqualTo(1);
            }
        }
    }

    @Test
    void backendLeftInTheMiddleOfALargeRowIsClosed() throws Exception {
        try (TestProxy proxy = proxy("transaction", 1)) {
            int firstPid;
            try (RawClient client = login(proxy)) {
                firstPid = backendPid(client);
                client.sendQuery("SELECT repeat('x', " + 64 * LIMIT + ")");
                assertThat(BulkWire.expect(client, 'T').type()).isEqualTo('T');
                client.in.readNBytes(5 + 6 + 100_000); // the DataRow's header and the start of its value
            }
            try (RawClient next = login(proxy)) {
                assertThat(backendPid(next)).as("a fresh backend").isNotEqualTo(firstPid);
                assertThat(selectOne(next)).isEqualTo(1);
            }
        }
    }

    private static Properties namedStatements() {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "1");
        return p;
    }

    private static int selectOne(RawClient client) throws IOException {
        client.sendQuery("SELECT 1");
        return (int) BulkWire.readResult(client, (byte) '1').rows();
    }

    private static int backendPid(RawClient client) throws IOException {
        client.sendQuery("SELECT pg_backend_pid()");
        ByteBuffer row = ByteBuffer.wrap(BulkWire.expect(client, 'D').body());
        row.getShort();
        byte[] text = new byte[row.getInt()];
        row.get(text);
        BulkWire.expect(client, 'Z');
        return Integer.parseInt(new String(text, StandardCharsets.US_ASCII));
    }
}
