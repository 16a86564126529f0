package io.pgmux.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.server.clients.ClientRegistry;
import io.pgmux.server.clients.PeerKeys;
import io.pgmux.server.notify.NotifyHubs;
import io.pgmux.server.pinning.PinCounters;
import io.pgmux.server.pinning.PinFiguresView;
import io.pgmux.testing.DetectLeaks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JVM figures are bound after start-up rather than during it (they would compete with the first logins for the
 * CPU), yet no scrape goes without them: the first scrape binds them at once.
 */
@DetectLeaks
class JvmMetricsBindingTest {
    private final PgmuxConfig config = ConfigLoader.fromYaml("""
            listen: 127.0.0.1:0
            auth_type: trust
            databases:
              app: {host: 127.0.0.1, port: 5432}
            """);
    private final PoolRegistry pools = new PoolRegistry(config, null);
    private final ProxyMetrics metrics = new ProxyMetrics(pools, new ClientRegistry(10, PeerKeys.NONE),
            new PinFiguresView(new PinCounters()), () -> List.of("app"), new NotifyHubs());

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void theJvmFiguresWaitUntilStartUpIsOver() {
        assertThat(ProxyMetrics.JVM_BINDING_DELAY).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(metrics.registry().find("jvm.memory.used").gauge()).isNull();
    }

    @Test
    void theFirstScrapeHasThemAtOnce() throws Exception {
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        metrics.scrape(out, null);

        assertThat(System.nanoTime() - start).isLessThan(ProxyMetrics.JVM_BINDING_DELAY.toNanos());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("jvm_memory_used_bytes", "jvm_threads_live_threads");
    }
}
