// A short connection storm through an in-JVM pgmux: every function must commit, within the pool's backends.
package io.pgmux.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.pgmux.loadtest.arrival.Burst;
import io.pgmux.loadtest.driver.Credentials;
import io.pgmux.loadtest.driver.JdbcProperties;
import io.pgmux.loadtest.driver.Target;
import io.pgmux.loadtest.metrics.BackendCounter;
import io.pgmux.loadtest.metrics.Probe;
import io.pgmux.loadtest.metrics.Sampler;
import io.pgmux.loadtest.metrics.TargetResult;
import io.pgmux.loadtest.report.ConsoleReport;
import io.pgmux.loadtest.report.HtmlReport;
import io.pgmux.loadtest.report.JsonReport;
import io.pgmux.loadtest.report.RunReport;
import io.pgmux.loadtest.runner.ClientSettings;
import io.pgmux.loadtest.runner.Scenario;
import io.pgmux.loadtest.runner.StormRunner;
import io.pgmux.loadtest.workload.TransactionKind;
import io.pgmux.loadtest.workload.TransactionSpec;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolStats;
import io.pgmux.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code storm} scenario, shortened: 2,000 virtual functions arrive within 4 s at a pgmux with a pool of 20, each
 * committing one row while holding its transaction 40 ms. That demand (about 500 transactions/s of 40 ms) is more
 * than 20 backends can serve (at most 500/s with no overhead at all), so clients must queue for a backend.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StormIntegrationTest {
    private static final int POOL_SIZE = 20;
    private static final int FUNCTIONS = 2000;
    /** A role only this test's pgmux uses, so counting its backends counts exactly pgmux's. */
    private static final String ROLE = "pgmux_loadtest_storm";
    private static final String ROLE_PASSWORD = "pgmux_loadtest_storm_pw";

    @Test
    void stormThroughPgmuxCommitsEveryFunctionWithinThePool() throws Exception {
        // Paranoid leak tracking (this JVM's default, for the client tests) records a stack trace on every buffer
        // access, which would make the storm measure the tracker; SIMPLE still samples for leaks.
        ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try {
            runStorm();
        } finally {
            ResourceLeakDetector.setLevel(leakLevel);
        }
    }

    private void runStorm() throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        System.out.println("[storm test] PostgreSQL source: " + pg.source() + " at " + pg.host() + ":" + pg.port());
        createRole(pg);
        Scenario scenario = new Scenario("storm-test", "short storm through pgmux", new Burst(FUNCTIONS, 4000),
                new TransactionSpec(TransactionKind.READ_WRITE, 1, 0, 40), ClientSettings.defaults("netty"),
                20_000, 30_000, 30_000, -1, 0);
        Credentials credentials = new Credentials(pg.database(), ROLE, ROLE_PASSWORD, 20_000, 30_000);
        try (TestPgmux pgmux = TestPgmux.start(POOL_SIZE, Map.of(ROLE, ROLE_PASSWORD));
             BackendCounter backends = new BackendCounter(pg.jdbcUrl(), JdbcProperties.of(new Credentials(
                     pg.database(), pg.user(), pg.password(), 10_000, 10_000)), pg.database(), ROLE)) {
            Target target = new Target("pgmux", "127.0.0.1", pgmux.port(), null);
            TargetResult result = new StormRunner(scenario, credentials, line -> System.out.println(line))
                    .run(target, backends, List.of(poolProbe(pgmux)));
            report(scenario, pg, result);

            assertThat(result.errors()).as("client errors by phase and SQLSTATE").isEmpty();
            assertThat(result.unfinished()).isZero();
            assertThat(result.succeeded()).isEqualTo(FUNCTIONS);
            assertThat(result.committedRows()).as("rows committed by the functions").isEqualTo(FUNCTIONS);
            assertThat(result.peak(Sampler.BACKENDS)).as("peak PostgreSQL backends of pgmux's role")
                    .isGreaterThan(0).isLessThanOrEqualTo(POOL_SIZE);
            assertThat(result.peak("pool_total")).as("peak pool size reported by pgmux").isLessThanOrEqualTo(POOL_SIZE);
            assertThat(result.peak("pool_waiting")).as("peak clients waiting for a backend").isGreaterThan(0);
            assertThat(stormPool(pgmux).counters().exhaustionEvents()).as("pool exhaustion events").isPositive();
        }
    }

    /** pgmux's own view of its pool, read in-JVM because pgmux has no metrics endpoint yet. */
    private static Probe poolProbe(TestPgmux pgmux) {
        return () -> {
            Pool pool = stormPool(pgmux);
            if (pool == null) {
                return Map.of();
            }
            PoolStats stats = pool.stats();
            return Map.of("pool_waiting", (double) stats.waiting(), "pool_total", (double) stats.total());
        };
    }

    private static Pool stormPool(TestPgmux pgmux) {
        return pgmux.server.pools().pools().stream().filter(p -> p.key().user().equals(ROLE)).findFirst()
                .orElse(null);
    }

    private static void createRole(PostgresFixture pg) throws Exception {
        try (Connection admin = pg.connect(); Statement s = admin.createStatement()) {
            // DO block: CREATE ROLE has no IF NOT EXISTS. The role may exist from an earlier run on an external server.
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "') THEN "
                    + "CREATE ROLE " + ROLE + " LOGIN; END IF; END $$");
            s.execute("ALTER ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE_PASSWORD + "'");
            s.execute("GRANT ALL ON DATABASE " + pg.database() + " TO " + ROLE);
            // The runner's CREATE TABLE IF NOT EXISTS checks CREATE on the schema even when the table exists.
            s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + ROLE);
            s.execute("CREATE TABLE IF NOT EXISTS " + TransactionSpec.TABLE + " (run_id text NOT NULL,"
                    + " function_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            s.execute("GRANT SELECT, INSERT ON " + TransactionSpec.TABLE + " TO " + ROLE);
        }
    }

    /** Prints the summary and keeps the JSON and HTML reports under target/ for a look after the build. */
    private static void report(Scenario scenario, PostgresFixture pg, TargetResult result) throws Exception {
        RunReport report = new RunReport(scenario.name(), scenario.description(), scenario.arrival().describe(),
                scenario.transaction().describe(), scenario.client().kind(), Instant.now().toString(),
                pg.source() + " " + pg.host() + ":" + pg.port(), List.of(result));
        System.out.println(ConsoleReport.render(report));
        Path dir = Files.createDirectories(Path.of("target", "storm-test"));
        Files.writeString(dir.resolve("storm.json"), JsonReport.render(report));
        Files.writeString(dir.resolve("storm.html"), HtmlReport.render(report));
    }
}
