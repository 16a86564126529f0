// Runs the scenario against each target in turn, with backend sampling and metrics scraping set up per target.
package io.pgmux.loadtest.cli;

import io.pgmux.loadtest.driver.Credentials;
import io.pgmux.loadtest.driver.JdbcProperties;
import io.pgmux.loadtest.driver.Target;
import io.pgmux.loadtest.metrics.BackendCounter;
import io.pgmux.loadtest.metrics.Probe;
import io.pgmux.loadtest.metrics.PrometheusProbe;
import io.pgmux.loadtest.metrics.TargetResult;
import io.pgmux.loadtest.runner.Scenario;
import io.pgmux.loadtest.runner.StormRunner;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One invocation's sequence of target runs. Targets run one after another, never together, so the backends sampled
 * during a run belong to that target.
 */
final class TargetSession {
    private final Scenario scenario;
    private final Credentials credentials;
    private final Target postgres;
    private final Credentials postgresLogin;
    private final String sampleRole;
    private final long pauseMillis;
    private final PrintStream out;

    /**
     * @param postgres      PostgreSQL itself, for pg_stat_activity; null when unknown (no backend series then)
     * @param postgresLogin who samples pg_stat_activity (a superuser sees every backend)
     * @param sampleRole    count only this role's backends, or null for all of the database
     */
    TargetSession(Scenario scenario, Credentials credentials, Target postgres, Credentials postgresLogin,
                  String sampleRole, long pauseMillis, PrintStream out) {
        this.scenario = scenario;
        this.credentials = credentials;
        this.postgres = postgres;
        this.postgresLogin = postgresLogin;
        this.sampleRole = sampleRole;
        this.pauseMillis = pauseMillis;
        this.out = out;
    }

    List<TargetResult> runAll(List<Target> targets, ProgressPrinter progress) throws SQLException,
            InterruptedException {
        List<TargetResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (i > 0 && pauseMillis > 0) {
                out.println("pausing " + pauseMillis + " ms so the previous target's connections close");
                Thread.sleep(pauseMillis);
            }
            Target target = targets.get(i);
            out.println("== " + target.name() + " (" + target.address() + "): " + scenario.arrival().describe());
            try {
                results.add(runOne(target, progress));
            } catch (SQLException | RuntimeException e) {
                // One unreachable target (or a baseline pool that cannot start) must not cost the others' results.
                out.println("target " + target.name() + " skipped: cannot prepare it: " + e.getMessage());
            }
            progress.finishLine();
        }
        return results;
    }

    private TargetResult runOne(Target target, ProgressPrinter progress) throws SQLException {
        List<Probe> probes = new ArrayList<>();
        if (target.metricsUrl() != null) {
            probes.add(new PrometheusProbe(target.metricsUrl(), PrometheusProbe.DEFAULT_FRAGMENTS));
        }
        BackendCounter backends = openCounter();
        try {
            return new StormRunner(scenario, credentials, progress).run(target, backends, probes);
        } finally {
            if (backends != null) {
                backends.close();
            }
        }
    }

    /** The sampling connection is opened before the storm, so a full max_connections cannot lock it out. */
    private BackendCounter openCounter() {
        if (postgres == null) {
            return null;
        }
        try {
            return new BackendCounter(postgres.jdbcUrl(postgresLogin.database()), JdbcProperties.of(postgresLogin),
                    credentials.database(), sampleRole);
        } catch (SQLException e) {
            out.println("warning: cannot sample pg_stat_activity on " + postgres.address() + ": " + e.getMessage());
            return null;
        }
    }
}
