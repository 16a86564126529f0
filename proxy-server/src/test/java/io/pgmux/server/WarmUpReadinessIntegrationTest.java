package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness waits for the start-up warm-up, however it ends, while clients are served all along. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WarmUpReadinessIntegrationTest {

    @Test
    void notReadyWhileWarmingUpButServing() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 2, "")) {
            CompletableFuture<Void> warmUp = new CompletableFuture<>();
            proxy.server.notReadyUntil(warmUp);
            assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(503);
            assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 7")).isEqualTo(7);
            assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(503);
            warmUp.complete(null);
            assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFailedWarmUpStillEndsInReadiness() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 2, "")) {
            CompletableFuture<Void> warmUp = new CompletableFuture<>();
            proxy.server.notReadyUntil(warmUp);
            assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(503);
            warmUp.completeExceptionally(new IllegalStateException("no io_uring ring left"));
            assertThat(proxy.get("/health/ready", null).statusCode()).isEqualTo(200);
        }
    }
}
