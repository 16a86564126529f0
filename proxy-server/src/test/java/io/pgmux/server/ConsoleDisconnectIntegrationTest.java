package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.pgmux.testing.DetectLeaks;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A console client leaves the way any client does: a reset is its ordinary way out, not an error. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleDisconnectIntegrationTest {

    @Test
    void resetByAConsoleClientIsAnOrdinaryDisconnect() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("session", 1, ""); LogCapture log = new LogCapture(Level.DEBUG)) {
            try (RawClient raw = new RawClient(proxy.port())) {
                raw.login(proxy.pg.user(), proxy.pg.password(), "pgbouncer");
                raw.sendQuery("SHOW VERSION");
                raw.readUntil('Z');
                raw.socket.setSoLinger(true, 0); // close() sends a reset
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (log.messages().stream().noneMatch(m -> m.contains("client went away on the admin console"))) {
                assertThat(System.nanoTime()).as("pgmux saw the console client leave within 5 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(log.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .noneMatch(e -> e.getThrowableProxy() != null);
        }
    }
}
