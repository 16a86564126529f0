package io.pgmux.server.cli;

import io.pgmux.config.ClientTlsFlags;
import io.pgmux.config.ConfigException;
import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.PoolMode;
import io.pgmux.config.QuickStartSettings;
import io.pgmux.server.ListenFailure;
import io.pgmux.server.PgmuxServer;
import io.pgmux.server.PgmuxVersion;
import io.pgmux.server.warmup.WarmUp;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The pgmux command line: run from a config file, from quick-start flags, or as a self-contained demo. */
@Command(name = "pgmux", mixinStandardHelpOptions = true, versionProvider = PgmuxVersion.class,
        sortOptions = false, usageHelpAutoWidth = true, subcommands = ConvertCommand.class,
        description = "Connection-multiplexing PostgreSQL proxy.%n"
                + "Settings come from --config FILE, then PGMUX_* environment variables, then flags (flags win).",
        footerHeading = "%nEnvironment variables (empty means not set):%n",
        footer = {
            "  PGMUX_BACKEND=URL           like --backend",
            "  PGMUX_LISTEN=HOST:PORT      listen",
            "  PGMUX_ADMIN_LISTEN=HOST:PORT  admin_listen (/metrics, /health/live, /health/ready)",
            "  PGMUX_ADMIN_USERS=U[,U...]  admin_users",
            "  PGMUX_STATS_USERS=U[,U...]  stats_users",
            "  PGMUX_POOL_MODE=MODE        pool.mode",
            "  PGMUX_POOL_SIZE=N           pool.default_pool_size",
            "  PGMUX_MAX_CLIENT_CONN=N     pool.max_client_conn",
            "  PGMUX_AUTH_TYPE=METHOD      auth_type",
            "  PGMUX_TRANSPORT=NAME        transport (auto, io_uring, epoll, nio)",
            "  PGMUX_CLIENT_TLS_CERT=FILE  client_tls_cert_file",
            "  PGMUX_CLIENT_TLS_KEY=FILE   client_tls_key_file",
            "  PGMUX_CLIENT_TLS_SSLMODE=M  client_tls_sslmode",
            "  PGMUX_CLIENT_TLS_CA=FILE    client_tls_ca_file",
            "  PGMUX_LOG_FORMAT=json       one JSON object per log line (default: text)",
            "  PGMUX_LOG_LEVEL=LEVEL       log level (default INFO)",
            "%nSubcommand: pgmux convert pgbouncer.ini prints the pgmux YAML for a PgBouncer configuration."})
public final class PgmuxCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--pgbouncer-ini", paramLabel = "FILE", description = "Run from a PgBouncer configuration "
            + "file instead of --config (see 'pgmux convert').")
    Path pgbouncerIni;

    @Option(names = "--backend", paramLabel = "URL",
            description = "postgresql://USER:PASSWORD@HOST:PORT/DB: serve database DB; clients log in as USER.")
    String backend;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Client listen address (default 127.0.0.1:6432).")
    String listen;

    @Option(names = "--pool-mode", paramLabel = "MODE", description = "session, transaction or statement.")
    String poolMode;

    @Option(names = "--pool-size", paramLabel = "N", description = "Backend connections per database and user.")
    Integer poolSize;

    @Option(names = "--max-client-conn", paramLabel = "N", description = "Most client connections at once.")
    Integer maxClientConn;

    @Option(names = "--admin-listen", paramLabel = "HOST:PORT", description = "Admin/metrics HTTP address.")
    String adminListen;

    @Option(names = "--admin-users", paramLabel = "USER[,USER...]",
            description = "Users allowed every admin console command (database pgbouncer or pgmux).")
    String adminUsers;

    @Option(names = "--stats-users", paramLabel = "USER[,USER...]",
            description = "Users allowed the read-only SHOW commands of the admin console.")
    String statsUsers;

    @Option(names = "--client-tls-cert", paramLabel = "FILE", description = "PEM certificate chain for client TLS.")
    String clientTlsCert;

    @Option(names = "--client-tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key for client TLS.")
    String clientTlsKey;

    @Option(names = "--client-tls-sslmode", paramLabel = "MODE", description = "disable, allow, prefer (default "
            + "with a certificate), require, verify-ca or verify-full.")
    String clientTlsSslmode;

    @Option(names = "--client-tls-ca", paramLabel = "FILE", description = "PEM CA certificates for client certificates.")
    String clientTlsCa;

    @Option(names = "--demo", description = "Start an embedded PostgreSQL and pgmux in front of it, and print "
            + "the psql command to connect.")
    boolean demo;

    /** Runs beside the parsing of the command line and configuration; awaited before the server is built. */
    private final StartupPreload preload;

    public PgmuxCommand() {
        this(StartupPreload.NONE);
    }

    private PgmuxCommand(StartupPreload preload) {
        this.preload = preload;
    }

    public static void main(String[] args) {
        StartupPreload preload = StartupPreload.start(); // applies the ProcessDefaults
        System.exit(new CommandLine(new PgmuxCommand(preload)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            if (demo) {
                if (!demoBuild()) {
                    System.err.println("pgmux: --demo needs the demo build, pgmux-demo.jar (mvn package writes it beside "
                            + "pgmux.jar); this jar leaves out the embedded PostgreSQL");
                    return 2;
                }
                preload.await();
                return DemoMode.run(this);
            }
            PgmuxConfig effective = load(backend);
            preload.await();
            return serveUntilStopped(effective, () -> load(backend));
        } catch (ConfigException | ListenFailure e) {
            System.err.println("pgmux: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Whether this jar carries the embedded PostgreSQL. Checked by name, before {@link DemoMode} is touched, since
     * loading DemoMode without it would fail with a linkage error instead of a message.
     */
    private static boolean demoBuild() {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false,
                    PgmuxCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    QuickStartSettings quickStart(String backendUrl) {
        return new QuickStartSettings(backendUrl, listen, poolMode == null ? null : PoolMode.parse(poolMode),
                poolSize, maxClientConn, adminListen, adminUsers, statsUsers);
    }

    PgmuxConfig load(String backendUrl) {
        if (pgbouncerIni != null) {
            if (config != null) {
                throw new ConfigException("--config and --pgbouncer-ini: give one configuration file, not both");
            }
            return PgBouncerIniSource.load(pgbouncerIni, System.getenv(), quickStart(backendUrl),
                    new ClientTlsFlags(clientTlsCert, clientTlsKey, clientTlsSslmode, clientTlsCa));
        }
        return ConfigLoader.load(config, System.getenv(), quickStart(backendUrl),
                new ClientTlsFlags(clientTlsCert, clientTlsKey, clientTlsSslmode, clientTlsCa));
    }

    /**
     * Serves until SIGTERM/SIGINT (drain, then exit 0), the console's SHUTDOWN, or the JVM stops otherwise. SIGHUP
     * reloads the configuration from {@code reloadSource}; an invalid one is logged and ignored.
     */
    static int serveUntilStopped(PgmuxConfig config, Supplier<PgmuxConfig> reloadSource)
            throws InterruptedException {
        PgmuxServer server = new PgmuxServer(config, reloadSource);
        WarmUp warmUp = config.fleet().warmup().isZero() ? null : new WarmUp(config);
        if (warmUp != null) {
            server.notReadyUntil(warmUp.finished()); // before the admin endpoint can first say ready
        }
        server.start();
        if (warmUp != null) {
            warmUp.begin(); // after the listener, so that the first client is not kept waiting by it
        }
        Signals.onReload(() -> {
            try {
                server.reload();
            } catch (ConfigException e) {
                // Logged by the server; the running configuration stays.
            }
        });
        Signals.onTerminate(server::drainAndClose);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgmux-shutdown"));
        server.awaitClosed();
        return 0;
    }
}
