package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * shutdown_grace: on SIGTERM readiness turns false at once while new clients are still served, and only then does
 * the listener close; readiness also turns false when max_client_conn leaves no room.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownGraceIntegrationTest {

    @Test
    void notReadyButStillAcceptingDuringTheGrace() throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        String yaml = OpsProxy.yaml("transaction", 2, "", pg.host(), pg.port()) + "shutdown_grace: 3s\n";
        OpsProxy proxy = OpsProxy.start(yaml, ConfigLoader::fromYaml);
        try {
            assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(200);
            CompletableFuture<Void> drain = CompletableFuture.runAsync(proxy.server::drainAndClose);
            awaitReady(proxy, 503);
            try (Connection late = proxy.connect()) {
                assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 7")).isEqualTo(7);
                assertThat(late.isValid(5)).isTrue();
            }
            assertThat(drain).as("the listener stays open for the grace").isNotDone();
            drain.get(30, TimeUnit.SECONDS);
            assertThatThrownBy(proxy::connect).isInstanceOf(SQLException.class);
        } finally {
            proxy.close();
        }
    }

    @Test
    void notReadyWhileMaxClientConnIsReached() throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        String yaml = OpsProxy.yaml("transaction", 2, "", pg.host(), pg.port())
                .replace("  default_pool_size: 2\n", "  default_pool_size: 2\n  max_client_conn: 2\n");
        try (OpsProxy proxy = OpsProxy.start(yaml, ConfigLoader::fromYaml)) {
            awaitReady(proxy, 200);
            try (Connection first = proxy.connect(); Connection second = proxy.connect()) {
                awaitReady(proxy, 503);
            }
            awaitReady(proxy, 200);
        }
    }

    private static void awaitReady(OpsProxy proxy, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int last = proxy.get("/health/ready", null).statusCode();
        while (last != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = proxy.get("/health/ready", null).statusCode();
        }
        assertThat(last).as("/health/ready").isEqualTo(status);
    }
}
