// The pgmux-loadtest command line: simulates a fleet of serverless functions against one or more targets.
package io.pgmux.loadtest.cli;

import io.pgmux.loadtest.arrival.Burst;
import io.pgmux.loadtest.arrival.Durations;
import io.pgmux.loadtest.driver.Credentials;
import io.pgmux.loadtest.driver.Target;
import io.pgmux.loadtest.metrics.TargetResult;
import io.pgmux.loadtest.postgres.PostgresLauncher;
import io.pgmux.loadtest.postgres.StartedPostgres;
import io.pgmux.loadtest.report.RunReport;
import io.pgmux.loadtest.runner.ClientSettings;
import io.pgmux.loadtest.runner.Scenario;
import io.pgmux.loadtest.workload.TransactionKind;
import io.pgmux.loadtest.workload.TransactionSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Parses options, optionally starts PostgreSQL, runs every target and writes the reports. */
@Command(name = "pgmux-loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Connection-storm load generator: runs the same scenario against PostgreSQL, PgBouncer and "
                + "pgmux and reports latency, throughput, errors by SQLSTATE and PostgreSQL backends.")
public final class LoadTestCommand implements Callable<Integer> {
    @Option(names = {"-s", "--scenario"}, paramLabel = "FILE", description = "Scenario YAML (see scenarios/).")
    Path scenarioFile;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME=HOST:PORT[,metrics=URL]",
            description = "A target; repeat for several. HOST:PORT may be 'postgres' with --start-postgres.")
    List<String> targets = new ArrayList<>();

    @Option(names = {"-d", "--database"}, description = "Database (default: postgres).")
    String database;

    @Option(names = {"-U", "--user"}, description = "User the functions log in as (default: postgres).")
    String user;

    @Option(names = "--password", description = "Password (default: $PGPASSWORD).")
    String password;

    @Option(names = "--client", description = "netty, jdbc or hikari (overrides the scenario).")
    String client;

    @Option(names = "--threads", description = "Event loops (netty) or worker threads (jdbc).")
    Integer threads;

    @Option(names = "--arrival", paramLabel = "SPEC",
            description = "constant:RATE:DURATION, ramp:FROM:TO:DURATION, burst:N:WITHIN or replay:FILE.csv.")
    String arrival;

    @Option(names = "--transaction", description = "read, read-write, prepared or queries.")
    String transaction;

    @Option(names = "--queries", description = "Statements per transaction for 'queries'.")
    Integer queries;

    @Option(names = "--work", paramLabel = "DURATION", description = "Time held inside the transaction.")
    String work;

    @Option(names = "--think-time", paramLabel = "DURATION", description = "Idle time connected after it.")
    String thinkTime;

    @Option(names = "--terminate-backends-at", paramLabel = "DURATION",
            description = "Terminate every backend of the database at this time (simulated restart).")
    String terminateAt;

    @Option(names = "--postgres", paramLabel = "HOST:PORT",
            description = "PostgreSQL itself, for sampling pg_stat_activity (default: the started one, or the "
                    + "target named 'direct').")
    String postgres;

    @Option(names = "--postgres-user", description = "Who samples pg_stat_activity (default: --user).")
    String postgresUser;

    @Option(names = "--postgres-password", description = "Its password (default: --password).")
    String postgresPassword;

    @Option(names = "--sample-role", description = "Count only this role's backends.")
    String sampleRole;

    @Option(names = "--start-postgres", description = "Start PostgreSQL (Testcontainers, else embedded).")
    boolean startPostgres;

    @Option(names = "--no-docker", description = "With --start-postgres: skip Testcontainers.")
    boolean noDocker;

    @Option(names = "--max-connections", description = "max_connections of the started PostgreSQL.")
    Integer maxConnections;

    @Option(names = "--postgres-port", description = "Port of the started embedded PostgreSQL (default: free).")
    int postgresPort;

    @Option(names = "--pause", paramLabel = "DURATION", description = "Pause between targets (default 5s).")
    String pause = "5s";

    @Option(names = "--out", paramLabel = "DIR", description = "Where the JSON and HTML reports go.")
    Path out = Path.of("loadtest-results");

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadTestCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Scenario scenario = applyOverrides(scenarioFile != null ? ScenarioLoader.load(scenarioFile) : defaultScenario());
        StartedPostgres started = startPostgres ? startPostgres(scenario) : null;
        try {
            return run(scenario, started);
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    private int run(Scenario scenario, StartedPostgres started) throws Exception {
        Credentials credentials = credentials(scenario, started);
        List<Target> parsed = TargetList.parse(targets, started);
        Target direct = TargetList.postgresForSampling(postgres, parsed, started);
        Credentials sampler = new Credentials(started != null && postgresUser == null ? started.database()
                : credentials.database(), postgresUser != null ? postgresUser : credentials.user(),
                postgresPassword != null ? postgresPassword : credentials.password(), 10_000, 10_000);
        System.out.println("scenario " + scenario.name() + ": " + scenario.arrival().describe() + "; "
                + scenario.transaction().describe() + "; client " + scenario.client().kind());
        ProgressPrinter progress = new ProgressPrinter(System.out, System.console() != null);
        List<TargetResult> results = new TargetSession(scenario, credentials, direct, sampler, sampleRole,
                Durations.parseMillis(pause), System.out).runAll(parsed, progress);
        RunReport report = new RunReport(scenario.name(), scenario.description(), scenario.arrival().describe(),
                scenario.transaction().describe(), scenario.client().kind(), Instant.now().toString(),
                started != null ? started.source() + " " + started.host() + ":" + started.port() : null, results);
        ReportFiles.write(report, out, System.out);
        return 0;
    }

    private StartedPostgres startPostgres(Scenario scenario) throws Exception {
        int max = maxConnections != null ? maxConnections : scenario.postgresMaxConnections();
        StartedPostgres pg = PostgresLauncher.start(max, postgresPort, !noDocker);
        System.out.println("PostgreSQL started (" + pg.source() + ") at " + pg.host() + ":" + pg.port()
                + " with max_connections=" + max + ", user " + pg.user() + " / database " + pg.database());
        return pg;
    }

    private Credentials credentials(Scenario scenario, StartedPostgres started) {
        String db = database != null ? database : started != null ? started.database() : "postgres";
        String u = user != null ? user : started != null ? started.user() : "postgres";
        String p = password != null ? password : System.getenv("PGPASSWORD");
        if (p == null && started != null && u.equals(started.user())) {
            p = started.password();
        }
        return new Credentials(db, u, p, scenario.connectTimeoutMillis(), scenario.transactionTimeoutMillis());
    }

    private static Scenario defaultScenario() {
        return new Scenario("adhoc", "ad-hoc run from command-line options", new Burst(1000, 5000),
                new TransactionSpec(TransactionKind.READ, 1, 0, 0), ClientSettings.defaults("netty"),
                30_000, 60_000, 60_000, -1, 100);
    }

    private Scenario applyOverrides(Scenario s) throws Exception {
        if (client != null || threads != null) {
            ClientSettings c = s.client();
            String kind = client != null ? client : c.kind();
            int t = threads != null ? threads : client != null ? ClientSettings.defaults(kind).threads() : c.threads();
            s = s.withClient(new ClientSettings(kind, t, c.appServers(), c.appPoolSize(), c.maxInFlight()));
        }
        if (arrival != null) {
            s = s.withArrival(ArrivalOption.parse(arrival));
        }
        if (terminateAt != null) {
            s = s.withTerminateBackendsAt(Durations.parseMillis(terminateAt));
        }
        if (transaction != null || queries != null || work != null || thinkTime != null) {
            TransactionSpec t = s.transaction();
            s = s.withTransaction(new TransactionSpec(
                    transaction != null ? TransactionKind.parse(transaction) : t.kind(),
                    queries != null ? queries : t.queries(),
                    thinkTime != null ? Durations.parseMillis(thinkTime) : t.thinkTimeMillis(),
                    work != null ? Durations.parseMillis(work) : t.workMillis()));
        }
        return s;
    }
}
