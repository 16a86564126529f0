package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PgBouncer's log switches: log_connections, log_disconnections, log_pooler_errors, log_stats with stats_period. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogSwitchesIntegrationTest {
    private final PostgresFixture pg = PostgresFixture.shared();

    private static OpsProxy start(String logKeys) throws InterruptedException {
        PostgresFixture pg = PostgresFixture.shared();
        return OpsProxy.start(OpsProxy.yaml("transaction", 2, "", pg.host(), pg.port()) + logKeys,
                ConfigLoader::fromYaml);
    }

    @Test
    void everythingIsLoggedByDefaultAndStatsComeEveryPeriod() throws Exception {
        try (LogCapture log = new LogCapture(Level.INFO, "io.pgmux.server.session.ClientSession");
                OpsProxy proxy = start("stats_period: 1s\n")) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                s.execute("SELECT 2");
            }
            assertThatThrownBy(() -> proxy.connect("no_such_db", pg.user(), pg.password()).close())
                    .isInstanceOf(SQLException.class);
            awaitMessage(log, m -> m.startsWith("stats: " + pg.database() + ": ") && m.contains(" queries/s"));
            List<String> messages = log.messages();
            assertThat(messages).anySatisfy(m -> assertThat(m).contains(" logged in, transaction pooling"));
            assertThat(log.events()).filteredOn(e -> e.getFormattedMessage().contains(" logged in,")).first()
                    .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("database", pg.database())
                            .containsEntry("user", pg.user()).containsKey("client_id"));
            assertThat(messages).anySatisfy(m -> assertThat(m).endsWith(" disconnected"));
            assertThat(messages).anySatisfy(m -> assertThat(m).contains("pooler error 3D000")
                    .contains("no_such_db"));

            // SHOW STATS averages over the last period, which had the two queries (PgBouncer's avg_query_count).
            try (Connection console = proxy.connect("pgbouncer", pg.user(), pg.password());
                    Statement c = console.createStatement()) {
                Map<String, String> stats = AdminConsoleIntegrationTest.firstRow(c, "SHOW STATS");
                assertThat(stats).containsKey("avg_query_count");
            }
        }
    }

    @Test
    void switchedOffTheyStaySilent() throws Exception {
        try (LogCapture log = new LogCapture(Level.INFO, "io.pgmux.server.session.ClientSession");
                OpsProxy proxy = start("""
                        log_connections: 0
                        log_disconnections: false
                        log_pooler_errors: 0
                        log_stats: 0
                        stats_period: 1s
                        """)) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
            }
            assertThatThrownBy(() -> proxy.connect("no_such_db", pg.user(), pg.password()).close())
                    .isInstanceOf(SQLException.class);
            Thread.sleep(2500); // two stats periods
            assertThat(log.messages()).noneSatisfy(m -> assertThat(m).containsAnyOf(" logged in,", " disconnected",
                    "pooler error", "stats: "));
        }
    }

    private static void awaitMessage(LogCapture log, Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && log.messages().stream().noneMatch(wanted)) {
            Thread.sleep(50);
        }
        assertThat(log.messages()).anyMatch(wanted);
    }
}
