package io.pgmux.server.cli;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.server.PgmuxServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;

/**
 * {@code --demo}: starts PostgreSQL from the binaries bundled in pgmux-demo.jar (no database installation needed),
 * creates a password-protected role and database, and runs pgmux in front of it. The production pgmux.jar leaves
 * those binaries out; {@link PgmuxCommand} checks for them before this class is loaded.
 */
final class DemoMode {
    static final String USER = "demo";
    static final String PASSWORD = "demo";
    static final String DATABASE = "demo";

    private DemoMode() {
    }

    static int run(PgmuxCommand command) throws Exception {
        System.out.println("Starting an embedded PostgreSQL...");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "pgmux-demo-postgres"));
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
        String backend = "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
        PgmuxConfig config = command.load(backend);
        PgmuxServer server = new PgmuxServer(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgmux-shutdown"));
        System.out.printf("%npgmux is running in front of PostgreSQL on port %d (%s pooling). Connect with:%n%n"
                        + "  psql \"postgresql://%s:%s@%s:%d/%s\"%n%nPress Ctrl+C to stop.%n",
                postgres.getPort(), config.poolMode(DATABASE, USER).configName(), USER, PASSWORD,
                config.listen().host(), server.port(), DATABASE);
        Thread.currentThread().join();
        return 0;
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (Exception e) {
            // shutting down anyway
        }
    }
}
