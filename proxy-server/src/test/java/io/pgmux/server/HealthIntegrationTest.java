package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * /health/backends and pgmux_database_reachable follow the backend: down when it goes away, up again when it comes
 * back. /health/ready and /health/live stay up meanwhile: pgmux still takes clients, which queue or get
 * PostgreSQL's error instead of a refused connection.
 */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HealthIntegrationTest {

    @Test
    void backendHealthFlipsWithTheBackendWhileReadinessStays() throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        try (TcpRelay relay = new TcpRelay(FreePorts.find(), pg.host(), pg.port())) {
            relay.start();
            try (OpsProxy proxy = OpsProxy.start("transaction", 2, "query_wait_timeout: 2s", "127.0.0.1",
                    relay.port())) {
                awaitStatus(proxy, "/health/backends", 200);
                assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(200);
                assertThat(proxy.scrape().value("pgmux_database_reachable", "database", pg.database())).isEqualTo(1);
                assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 1")).isEqualTo(1);

                relay.stop();
                awaitStatus(proxy, "/health/backends", 503);
                assertThat(proxy.get("/health/ready", null).statusCode()).as("ready while the database is away")
                        .isEqualTo(200);
                assertThat(proxy.get("/health/live", null).statusCode()).isEqualTo(200);
                assertThat(proxy.scrape().value("pgmux_database_reachable", "database", pg.database())).isZero();

                relay.start();
                awaitStatus(proxy, "/health/backends", 200);
                // After server_login_retry the pool logs in again.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline) {
                    try {
                        assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 2")).isEqualTo(2);
                        break;
                    } catch (AssertionError e) {
                        Thread.sleep(200);
                    }
                }
                assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 3")).isEqualTo(3);
            }
        }
    }

    private static void awaitStatus(OpsProxy proxy, String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int last = proxy.get(path, null).statusCode();
        while (last != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = proxy.get(path, null).statusCode();
        }
        assertThat(last).as(path).isEqualTo(status);
    }
}
