package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.pgmux.testing.Await;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that goes away without a Terminate: its query does not run on, and leaving is no error. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VanishingClientIntegrationTest {
    private static OpsProxy proxy;
    private static String[] pool;

    @BeforeAll
    static void start() throws Exception {
        proxy = OpsProxy.start("session", 2, "");
        pool = new String[] {"database", proxy.pg.database(), "user", proxy.pg.user()};
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void queryOfAClientThatVanishesIsCancelled() throws Exception {
        String marker = "vanishing_" + UUID.randomUUID().toString().replace('-', '_');
        try (RawClient raw = loggedIn()) {
            raw.sendQuery("SELECT pg_sleep(30) /* " + marker + " */");
            await("the query runs on PostgreSQL", () -> running(marker));
            raw.socket.setSoLinger(true, 0);
        } // closed without a Terminate, in the middle of the query
        await("the query stops on PostgreSQL", () -> !running(marker));
    }

    @Test
    void resetByTheClientIsAnOrdinaryDisconnect() throws Exception {
        try (LogCapture log = new LogCapture(Level.DEBUG, "io.pgmux.server.session.ClientSession")) {
            try (RawClient raw = loggedIn()) {
                raw.sendQuery("SELECT 1");
                raw.readUntil('Z'); // holds a backend now (session pooling)
                raw.socket.setSoLinger(true, 0); // close() sends a reset
            }
            await("pgmux saw the client leave",
                    () -> log.messages().stream().anyMatch(m -> m.endsWith("disconnected")));

            assertThat(log.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .noneMatch(e -> e.getThrowableProxy() != null);
            assertThat(log.events().stream().map(ILoggingEvent::getFormattedMessage))
                    .noneMatch(m -> m.contains("unexpected error"));
        }
        Scrape metrics = proxy.scrape();
        assertThat(metrics.samples()).noneMatch(s -> s.name().equals("pgmux_client_errors_total")
                && "XX".equals(s.labels().get("sqlstate_class")) && s.value() > 0);
        assertThat(metrics.value("pgmux_clients_connected")).isZero();
    }

    private static RawClient loggedIn() throws Exception {
        RawClient raw = new RawClient(proxy.port());
        raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
        return raw;
    }

    /** True while a backend runs a statement that contains {@code marker} (this query's text does not). */
    private static boolean running(String marker) {
        try (Connection direct = proxy.pg.connect(); PreparedStatement s = direct.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()"
                        + " AND position(? in query) > 0")) {
            s.setString(1, marker);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(5), condition);
    }
}
