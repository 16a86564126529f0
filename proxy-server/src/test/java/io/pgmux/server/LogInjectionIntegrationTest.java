package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.pgmux.testing.DetectLeaks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a client chooses (user name, startup parameters, SQL text) never writes a log line of its own: control
 * characters reach the log escaped, whether or not the client ever authenticates.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogInjectionIntegrationTest {
    private static final String FORGED = "12:00:00.000 INFO  [main] PgmuxServer - forged";
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 2).warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void userNameAndStartupParametersOfAnUnauthenticatedClientAreEscaped() throws Exception {
        String user = "evil\n" + FORGED + "\r\u0085\u0007";
        try (LogCapture log = new LogCapture(Level.DEBUG, "io.pgmux.server.session.ClientSession");
             RawClient raw = new RawClient(proxy.port())) {
            raw.send(startupPacket("user", user, "database", proxy.pg.database(),
                    "application_name", "app\n" + FORGED));
            assertThat(raw.read().type()).as("md5 request, as for any user").isEqualTo('R');
            raw.sendTyped('p', "md5-not-the-answer\0".getBytes(StandardCharsets.UTF_8));
            assertThat(raw.read().fields()).containsEntry('C', "28P01");
            assertThat(raw.closedByServer()).isTrue();

            assertOneLineEach(log.messages());
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .contains("authentication failed for user \"evil\\n" + FORGED + "\\r\\u0085\\u0007\""));
        }
    }

    @Test
    void statementTextInPinLogLinesIsEscaped() throws Exception {
        try (LogCapture log = new LogCapture(Level.INFO, "io.pgmux.server.session.ClientSession");
             Connection c = proxy.connect(); Statement s = c.createStatement()) {
            s.execute("PREPARE fp AS SELECT 1\n-- " + FORGED); // logs show the first 80 characters
            s.execute("DEALLOCATE fp");

            assertOneLineEach(log.messages());
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .contains("PREPARE fp AS SELECT 1\\n-- " + FORGED));
        }
    }

    private static void assertOneLineEach(List<String> messages) {
        assertThat(messages).isNotEmpty().allSatisfy(m -> assertThat(m)
                .doesNotContain("\n", "\r", "\u0085", "\u0007"));
    }

    /** A protocol 3.0 StartupMessage with the given name/value pairs. */
    private static byte[] startupPacket(String... pairs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String s : pairs) {
            body.writeBytes((s + "\0").getBytes(StandardCharsets.UTF_8));
        }
        body.write(0);
        return java.nio.ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size()).putInt(196608)
                .put(body.toByteArray()).array();
    }
}
