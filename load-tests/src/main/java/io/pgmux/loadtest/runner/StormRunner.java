// Runs one scenario against one target: launches functions on schedule, samples, and builds the result.
package io.pgmux.loadtest.runner;

import io.pgmux.loadtest.driver.Credentials;
import io.pgmux.loadtest.driver.FunctionDriver;
import io.pgmux.loadtest.driver.FunctionOutcome;
import io.pgmux.loadtest.driver.JdbcProperties;
import io.pgmux.loadtest.driver.Target;
import io.pgmux.loadtest.metrics.BackendCounter;
import io.pgmux.loadtest.metrics.Probe;
import io.pgmux.loadtest.metrics.PrometheusProbe;
import io.pgmux.loadtest.metrics.Sampler;
import io.pgmux.loadtest.metrics.TargetMetrics;
import io.pgmux.loadtest.metrics.TargetResult;
import io.pgmux.loadtest.metrics.Tick;
import io.pgmux.loadtest.workload.TransactionSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Drives one target for one scenario. The schedule loop runs on the calling thread and is bounded by the arrival
 * duration plus the drain timeout; functions run on the driver's threads and only report back.
 */
public final class StormRunner {
    private static final long TICK_MILLIS = 1000;
    private static final long SAMPLE_MILLIS = 100;

    private final Scenario scenario;
    private final Credentials credentials;
    private final Consumer<String> progress;

    /** @param progress receives one status line per second */
    public StormRunner(Scenario scenario, Credentials credentials, Consumer<String> progress) {
        this.scenario = scenario;
        this.credentials = credentials;
        this.progress = progress;
    }

    /**
     * Runs the scenario against {@code target}.
     *
     * @param backends counts PostgreSQL backends (a direct connection), or null if not available
     * @param probes   extra series to sample, e.g. a {@link PrometheusProbe} of the target's /metrics
     * @throws SQLException if the events table of a writing scenario cannot be created on the target
     */
    public TargetResult run(Target target, BackendCounter backends, List<Probe> probes) throws SQLException {
        String runId = (scenario.name() + "-" + target.name() + "-"
                + Long.toString(System.currentTimeMillis(), 36)).toLowerCase(Locale.ROOT);
        if (scenario.transaction().kind().writes()) {
            execute(target, TransactionSpec.createTableSql());
        }
        TargetMetrics metrics = new TargetMetrics();
        List<String> notes = new ArrayList<>();
        try (FunctionDriver driver = Drivers.create(scenario, target, credentials)) {
            Sampler sampler = new Sampler(backends, probes, SAMPLE_MILLIS);
            double seconds;
            try {
                seconds = scheduleLoop(target, driver, runId, metrics, sampler, backends, notes);
            } finally {
                sampler.close();
            }
            addProblems(sampler, probes, metrics, notes);
            long committed = scenario.transaction().kind().writes() ? countRows(target, runId, notes) : -1;
            return metrics.result(new TargetMetrics.RunIdentity(target.name(), target.address(),
                    driver.clientName(), runId), seconds, sampler.runPeaks(), committed, notes);
        }
    }

    private static void addProblems(Sampler sampler, List<Probe> probes, TargetMetrics metrics, List<String> notes) {
        if (sampler.backendProblem() != null) {
            notes.add(sampler.backendProblem());
        }
        for (Probe probe : probes) {
            if (probe instanceof PrometheusProbe && ((PrometheusProbe) probe).lastProblem() != null) {
                notes.add(((PrometheusProbe) probe).lastProblem());
            }
        }
        long unfinished = metrics.inFlight();
        if (unfinished > 0) {
            notes.add(unfinished + " functions were still running when the drain timeout ended the run");
        }
    }

    /** Launches arrivals as the pattern comes due and ticks once a second; returns the elapsed seconds. */
    private double scheduleLoop(Target target, FunctionDriver driver, String runId, TargetMetrics metrics,
                                Sampler sampler, BackendCounter backends, List<String> notes) {
        long total = scenario.arrival().total();
        long deadlineMillis = scenario.arrival().durationMillis() + scenario.drainTimeoutMillis();
        long start = System.nanoTime();
        long nextTick = TICK_MILLIS;
        long launched = 0;
        boolean terminated = scenario.terminateBackendsAtMillis() < 0;
        boolean capped = false;
        long elapsed = 0;
        while (elapsed <= deadlineMillis) {
            long due = scenario.arrival().dueBy(elapsed);
            for (; launched < due && metrics.inFlight() < scenario.client().maxInFlight(); launched++) {
                launch(driver, runId, launched, metrics);
            }
            capped |= launched < due;
            if (!terminated && elapsed >= scenario.terminateBackendsAtMillis()) {
                terminated = true;
                notes.add(terminateBackends(backends, elapsed));
            }
            if (elapsed >= nextTick) {
                // The actual time, not the nominal tick, so a late tick does not distort the timeline.
                report(target, metrics, sampler.takeInterval(), elapsed / 1000.0, total);
                nextTick = (elapsed / TICK_MILLIS + 1) * TICK_MILLIS;
            }
            if (launched >= total && metrics.inFlight() == 0) {
                break;
            }
            LockSupport.parkNanos(1_000_000);
            elapsed = (System.nanoTime() - start) / 1_000_000;
        }
        if (!terminated) {
            notes.add("the backend restart at " + scenario.terminateBackendsAtMillis() + " ms was not reached");
        }
        if (capped) {
            notes.add("arrivals were delayed by the limit of " + scenario.client().maxInFlight() + " functions in flight");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.tick(seconds, sampler.takeInterval());
        return seconds;
    }

    private static void launch(FunctionDriver driver, String runId, long id, TargetMetrics metrics) {
        metrics.launched();
        driver.run(runId, id).whenComplete((outcome, error) -> {
            if (outcome != null) {
                metrics.finished(outcome);
            } else {
                metrics.finished(FunctionOutcome.connectFailed(error));
            }
        });
    }

    private void report(Target target, TargetMetrics metrics, Map<String, Double> samples, double at,
                        long total) {
        Tick tick = metrics.tick(at, samples);
        Double backends = samples.get(Sampler.BACKENDS);
        progress.accept(String.format(Locale.ROOT,
                "[%s] %4.0fs launched %d/%d  in flight %d  ok %d  failed %d  backends %s  tx p99 %.1f ms",
                target.name(), at, metrics.launchedCount(), total, tick.clients(), metrics.succeededCount(),
                metrics.failedCount(), backends == null ? "-" : String.valueOf(backends.longValue()),
                tick.transaction().p99Ms()));
    }

    private String terminateBackends(BackendCounter backends, long elapsed) {
        if (backends == null) {
            return "backend restart skipped at " + elapsed + " ms: no direct PostgreSQL connection (--postgres)";
        }
        try {
            return "terminated " + backends.terminateAll() + " backends at " + elapsed + " ms (simulated restart)";
        } catch (SQLException e) {
            return "backend restart at " + elapsed + " ms failed: " + e.getMessage();
        }
    }

    private long countRows(Target target, String runId, List<String> notes) {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(credentials.database()),
                JdbcProperties.of(credentials)); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(TransactionSpec.countSql(runId))) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            notes.add("could not count committed rows: " + e.getMessage());
            return -1;
        }
    }

    private void execute(Target target, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(credentials.database()),
                JdbcProperties.of(credentials)); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
