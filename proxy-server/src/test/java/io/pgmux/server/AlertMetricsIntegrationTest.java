package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The figures the example alert rules use: build info, limits, utilisation, the oldest wait, pins from zero. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertMetricsIntegrationTest {

    /** Every pgmux metric the compose setup's alert rules use, so that a rename cannot silence an alert. */
    private static Set<String> alertRuleMetrics() throws Exception {
        String rules = Files.readString(Path.of("..", "deploy", "prometheus", "pgmux-alerts.yml"));
        Set<String> metrics = new TreeSet<>();
        Matcher m = Pattern.compile("\\bpgmux_[a-z_]+").matcher(rules);
        while (m.find()) {
            metrics.add(m.group());
        }
        assertThat(metrics).isNotEmpty();
        return metrics;
    }

    @Test
    void limitsUtilisationAndTheOldestWaitAreGauges() throws Exception {
        try (OpsProxy proxy = OpsProxy.start("transaction", 1, "")) {
            String db = proxy.pg.database();
            String user = proxy.pg.user();
            Scrape start = proxy.scrape();
            assertThat(start.value("pgmux_build_info", "version", PgmuxVersion.version())).isEqualTo(1);
            assertThat(start.value("pgmux_clients_max")).isEqualTo(10000);

            try (Connection holder = proxy.connect(); Statement tx = holder.createStatement();
                    Connection waiter = proxy.connect(); Statement w = waiter.createStatement()) {
                holder.setAutoCommit(false);
                tx.execute("SELECT 1"); // holds the only backend
                Scrape held = proxy.scrape();
                assertThat(held.value("pgmux_pool_utilization", "database", db, "user", user)).isEqualTo(1.0);
                assertThat(held.value("pgmux_pool_wait_oldest_seconds", "database", db, "user", user)).isZero();
                assertThat(held.value("pgmux_pool_pins_total", "database", db, "user", user, "reason", "listen"))
                        .as("present before any pin").isZero();

                CompletableFuture<Boolean> queued = CompletableFuture.supplyAsync(() -> {
                    try {
                        return w.execute("SELECT 2");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                double oldest = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (oldest < 0.2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    oldest = proxy.scrape().value("pgmux_pool_wait_oldest_seconds", "database", db, "user", user);
                }
                assertThat(oldest).as("the waiting client's age").isGreaterThanOrEqualTo(0.2);
                holder.commit();
                assertThat(queued.get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(proxy.scrape().value("pgmux_pool_wait_oldest_seconds", "database", db, "user", user))
                        .isZero();
                Scrape now = proxy.scrape();
                for (String metric : alertRuleMetrics()) {
                    assertThat(now.has(metric)).as("%s, used by the example alert rules", metric).isTrue();
                }
            }
        }
    }
}
