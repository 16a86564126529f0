package io.pgmux.server.cli;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.server.PgmuxServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Statement;

/**
 * {@code --demo}: starts PostgreSQL from the binaries bundled in pgmux-demo.jar (no database installation needed),
 * creates a password-protected role and database, and runs pgmux in front of it with the metrics endpoint and the
 * admin console on (the demo user is its admin), so that every first command works: psql, curl, SHOW POOLS. The
 * production pgmux.jar leaves those binaries out; {@link PgmuxCommand} checks for them before this class is loaded.
 */
final class DemoMode {
    static final String USER = "demo";
    static final String PASSWORD = "demo";
    static final String DATABASE = "demo";

    /** A running demo: the embedded PostgreSQL and pgmux in front of it. */
    record Demo(EmbeddedPostgres postgres, PgmuxServer server, PgmuxConfig config) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            closeQuietly(postgres);
        }
    }

    private DemoMode() {
    }

    static int run(PgmuxCommand command) throws Exception {
        System.out.println("Starting an embedded PostgreSQL...");
        Demo demo = start(command);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "pgmux-demo-shutdown"));
        printWelcome(demo, System.out);
        Thread.currentThread().join();
        return 0;
    }

    /**
     * Starts PostgreSQL and pgmux. Unless the command line says otherwise, the admin HTTP endpoint listens on a free
     * port of 127.0.0.1 and the demo user may use the console.
     */
    static Demo start(PgmuxCommand command) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        try {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
            if (command.adminListen == null) {
                command.adminListen = "127.0.0.1:0";
            }
            if (command.adminUsers == null) {
                command.adminUsers = USER;
            }
            String backend = "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + postgres.getPort() + "/"
                    + DATABASE;
            PgmuxConfig config = command.load(backend);
            return new Demo(postgres, new PgmuxServer(config).start(), config);
        } catch (Exception | Error e) {
            closeQuietly(postgres);
            throw e;
        }
    }

    /** The lines that get a newcomer from nothing to a query, a scrape and the console. */
    static void printWelcome(Demo demo, PrintStream out) {
        String host = demo.config().listen().host();
        int port = demo.server().port();
        out.printf("%npgmux is running in front of PostgreSQL on port %d (%s pooling).%n%n"
                        + "Connect:        psql \"postgresql://%s:%s@%s:%d/%s\"%n"
                        + "Admin console:  psql \"postgresql://%s:%s@%s:%d/pgbouncer\" -c \"SHOW POOLS\"%n",
                demo.postgres().getPort(), demo.config().poolMode(DATABASE, USER).configName(),
                USER, PASSWORD, host, port, DATABASE, USER, PASSWORD, host, port);
        if (demo.config().adminListen() != null) {
            out.printf("Metrics:        curl http://%s:%d/metrics%n", demo.config().adminListen().host(),
                    demo.server().adminPort());
        }
        out.printf("%nPress Ctrl+C to stop.%n");
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (Exception e) {
            // shutting down anyway
        }
    }
}
