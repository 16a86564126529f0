package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that goes away without a Terminate: its query does not run on. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VanishingClientIntegrationTest {
    private static OpsProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = OpsProxy.start("session", 2, "");
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
