// Chooses how to start PostgreSQL for --start-postgres: a container if Docker is there, else embedded.
package io.pgmux.loadtest.postgres;

import java.io.IOException;
import java.sql.SQLException;

/** Starts a PostgreSQL with the given {@code max_connections}, preferring Testcontainers. */
public final class PostgresLauncher {
    /** The superuser password of a server started here; it is a throwaway local server. */
    public static final String PASSWORD = "postgres";

    private PostgresLauncher() {
    }

    /**
     * @param embeddedPort the port for the embedded server (0 = any free port); a container's port is always mapped
     * @param allowDocker  false skips the Docker probe and goes straight to the embedded server
     */
    public static StartedPostgres start(int maxConnections, int embeddedPort, boolean allowDocker)
            throws IOException, SQLException {
        if (allowDocker) {
            var container = ContainerPostgresLauncher.startIfDockerAvailable(maxConnections, PASSWORD);
            if (container.isPresent()) {
                return container.get();
            }
        }
        return EmbeddedPostgresLauncher.start(maxConnections, embeddedPort, PASSWORD);
    }
}
