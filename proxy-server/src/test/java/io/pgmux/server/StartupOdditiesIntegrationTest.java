package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages out of place around the login get what PostgreSQL gives them: one FATAL ErrorResponse, then the connection
 * closes. Encryption requests follow PostgreSQL's rule: each once, in either order.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartupOdditiesIntegrationTest {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("session", 2);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void passwordMessageAfterLoginGetsOneProtocolViolation() throws Exception {
        try (RawClient raw = loggedIn()) {
            raw.sendQuery("SELECT 1");
            raw.readUntil('Z'); // holds its backend (session pooling)
            raw.sendTyped('p', (proxy.pg.password() + "\0").getBytes(StandardCharsets.UTF_8));
            assertOneFatalThenClose(raw, "invalid frontend message type 112");
        }
    }

    @Test
    void secondSslRequestIsRefused() throws Exception {
        try (RawClient raw = new RawClient(proxy.port())) {
            assertThat(negotiate(raw, SSL_REQUEST)).isEqualTo('N');
            raw.send(request(SSL_REQUEST));
            assertOneFatalThenClose(raw, "unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0");
        }
    }

    @Test
    void secondGssEncRequestIsRefused() throws Exception {
        try (RawClient raw = new RawClient(proxy.port())) {
            assertThat(negotiate(raw, GSSENC_REQUEST)).isEqualTo('N');
            raw.send(request(GSSENC_REQUEST));
            assertOneFatalThenClose(raw, "unsupported frontend protocol 1234.5680: server supports 3.0 to 3.0");
        }
    }

    @Test
    void sslAfterARefusedGssEncRequestAndTheReverseAreAnswered() throws Exception {
        for (int[] order : new int[][] {{GSSENC_REQUEST, SSL_REQUEST}, {SSL_REQUEST, GSSENC_REQUEST}}) {
            try (RawClient raw = new RawClient(proxy.port())) {
                assertThat(negotiate(raw, order[0])).isEqualTo('N');
                assertThat(negotiate(raw, order[1])).as("libpq tries GSS, then TLS").isEqualTo('N');
                raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            }
        }
    }

    private static RawClient loggedIn() throws IOException {
        RawClient raw = new RawClient(proxy.port());
        raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
        return raw;
    }

    /** Sends an SSLRequest or GSSENCRequest and returns the one-byte answer. */
    private static char negotiate(RawClient raw, int code) throws IOException {
        raw.send(request(code));
        return (char) raw.in.readByte();
    }

    private static byte[] request(int code) {
        return java.nio.ByteBuffer.allocate(8).putInt(8).putInt(code).array();
    }

    /** Everything the server still sends is one FATAL 08P01 ErrorResponse, and then it closes the connection. */
    static void assertOneFatalThenClose(RawClient raw, String message) throws IOException {
        List<RawClient.Message> rest = new ArrayList<>();
        try {
            RawClient.Message m;
            while ((m = raw.read()) != null) {
                rest.add(m);
            }
        } catch (SocketException reset) {
            // closed: a reset after the last message counts as well
        }
        assertThat(rest).hasSize(1);
        assertThat(rest.get(0).type()).isEqualTo('E');
        assertThat(rest.get(0).fields()).containsEntry('S', "FATAL").containsEntry('C', "08P01")
                .containsEntry('M', message);
    }
}
