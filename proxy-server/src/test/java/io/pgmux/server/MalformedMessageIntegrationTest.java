package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed client message gets FATAL 08P01 and a closed connection, whether the client holds a backend or
 * not; its buffer is released (the leak detector fails the test otherwise), and the backend goes back to the pool
 * (rolled back) so that nobody else is harmed.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MalformedMessageIntegrationTest {
    private static final int BACKENDS = 2;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", BACKENDS, "md5", "", "query_wait_timeout: 10s").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("Query without its NUL", typed('Q', bytes("select 1"))),
                Arguments.of("Query with trailing bytes", typed('Q', bytes("select 1\0xx"))),
                Arguments.of("1 MiB Query without its NUL", typed('Q', filled(1 << 20, 'x'))),
                Arguments.of("empty Query", typed('Q', new byte[0])),
                Arguments.of("empty Parse", typed('P', new byte[0])),
                Arguments.of("empty Bind", typed('B', new byte[0])),
                Arguments.of("empty Describe", typed('D', new byte[0])),
                Arguments.of("empty Close", typed('C', new byte[0])),
                Arguments.of("empty Execute", typed('E', new byte[0])),
                Arguments.of("Parse with more parameter types than sent", parseDeclaring(2, 1)),
                Arguments.of("Parse with a negative parameter count", parseDeclaring(-1, 0)),
                Arguments.of("Close with a bad subtype", typed('C', bytes("Xs1\0"))),
                Arguments.of("Describe with a bad subtype", typed('D', bytes("Qs1\0"))),
                Arguments.of("Bind with a negative value length", bindWithValueLength(-5)),
                Arguments.of("Bind with a value longer than the message", bindWithValueLength(1000)),
                Arguments.of("Execute without its row limit", typed('E', bytes("\0"))),
                Arguments.of("Sync with a body", typed('S', new byte[] {1})),
                Arguments.of("password message after login", typed('p', bytes("secret\0"))));
    }

    @ParameterizedTest(name = "{0}, holding no backend")
    @MethodSource("malformed")
    void malformedMessageWithoutABackend(String name, byte[] message) throws Exception {
        try (RawClient raw = loggedIn()) {
            raw.send(message);
            assertProtocolViolationAndClose(raw);
        }
        proxy.assertEveryBackendBackAndIdle();
    }

    @ParameterizedTest(name = "{0}, inside a transaction")
    @MethodSource("malformed")
    void malformedMessageInsideATransaction(String name, byte[] message) throws Exception {
        try (RawClient raw = loggedIn()) {
            raw.sendQuery("BEGIN");
            assertThat(raw.readUntil('Z').body()[0]).isEqualTo((byte) 'T');
            raw.send(message);
            assertProtocolViolationAndClose(raw);
        }
        proxy.assertEveryBackendBackAndIdle();
    }

    @ParameterizedTest(name = "{0}, after a Parse of the same batch")
    @MethodSource("malformed")
    void malformedMessageInTheMiddleOfABatch(String name, byte[] message) throws Exception {
        try (RawClient raw = loggedIn()) {
            raw.send(WireMessages.concat(WireMessages.parse("", "SELECT 1"), message));
            assertProtocolViolationAndClose(raw);
        }
        proxy.assertEveryBackendBackAndIdle();
    }

    @Test
    void moreMalformedClientsThanBackendsLeaveThePoolUsable() throws Exception {
        for (int i = 0; i < 3 * BACKENDS; i++) {
            try (RawClient raw = loggedIn()) {
                raw.send(typed('Q', bytes("select 1")));
                assertProtocolViolationAndClose(raw);
            }
        }
        proxy.assertEveryBackendBackAndIdle();
    }

    private static void assertProtocolViolationAndClose(RawClient raw) throws IOException {
        RawClient.Message error = raw.readUntil('E');
        assertThat(error.fields()).containsEntry('S', "FATAL").containsEntry('C', "08P01");
        assertThat(raw.closedByServer()).as("closed after the error").isTrue();
    }

    private static RawClient loggedIn() throws IOException {
        RawClient raw = new RawClient(proxy.port());
        raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
        return raw;
    }

    private static byte[] typed(char type, byte[] body) {
        byte[] message = new byte[5 + body.length];
        message[0] = (byte) type;
        int length = 4 + body.length;
        message[1] = (byte) (length >>> 24);
        message[2] = (byte) (length >>> 16);
        message[3] = (byte) (length >>> 8);
        message[4] = (byte) length;
        System.arraycopy(body, 0, message, 5, body.length);
        return message;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] filled(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    private static byte[] parseDeclaring(int declared, int sent) {
        return typed('P', body(out -> {
            out.write(bytes("s_bad\0SELECT $1\0"));
            out.writeShort(declared);
            for (int i = 0; i < sent; i++) {
                out.writeInt(23);
            }
        }));
    }

    private static byte[] bindWithValueLength(int length) {
        return typed('B', body(out -> {
            out.write(bytes("\0\0"));
            out.writeShort(0);
            out.writeShort(1);
            out.writeInt(length);
            out.write(bytes("42"));
            out.writeShort(0);
        }));
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] body(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            body.write(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
