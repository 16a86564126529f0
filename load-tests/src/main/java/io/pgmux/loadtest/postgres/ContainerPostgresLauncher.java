// Starts PostgreSQL in a Testcontainers container when a Docker engine answers.
package io.pgmux.loadtest.postgres;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@code postgres:17-alpine} container; anything going wrong yields empty so the caller can fall back. */
final class ContainerPostgresLauncher {
    private static final String IMAGE = "postgres:17-alpine";
    private static final long DOCKER_PROBE_SECONDS = 20;

    private ContainerPostgresLauncher() {
    }

    static Optional<StartedPostgres> startIfDockerAvailable(int maxConnections, String password) {
        if (!dockerConfigured() || !dockerResponds()) {
            return Optional.empty();
        }
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE))
                .withUsername("postgres").withPassword(password).withDatabaseName("postgres")
                .withCommand("postgres", "-c", "max_connections=" + maxConnections, "-c", "fsync=off");
        try {
            container.start();
            return Optional.of(new Started(container));
        } catch (RuntimeException e) {
            System.err.println("Testcontainers PostgreSQL failed, falling back to embedded: " + e.getMessage());
            container.close();
            return Optional.empty();
        }
    }

    /** Cheap check first: without it Testcontainers spends a long time probing for an engine that is not there. */
    private static boolean dockerConfigured() {
        String dockerHost = System.getenv("DOCKER_HOST");
        return (dockerHost != null && !dockerHost.isBlank()) || Files.exists(Path.of("/var/run/docker.sock"));
    }

    /** Bounded, because a stale socket can make the probe hang. */
    private static boolean dockerResponds() {
        try {
            return CompletableFuture.supplyAsync(() -> DockerClientFactory.instance().isDockerAvailable())
                    .get(DOCKER_PROBE_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private record Started(PostgreSQLContainer<?> container) implements StartedPostgres {
        @Override
        public String host() {
            return container.getHost();
        }

        @Override
        public int port() {
            return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
        }

        @Override
        public String user() {
            return container.getUsername();
        }

        @Override
        public String password() {
            return container.getPassword();
        }

        @Override
        public String database() {
            return container.getDatabaseName();
        }

        @Override
        public String source() {
            return "testcontainers";
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
