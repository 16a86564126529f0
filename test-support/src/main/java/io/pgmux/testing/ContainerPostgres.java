// Runs PostgreSQL in a Testcontainers container when a Docker engine is reachable.
package io.pgmux.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@code postgres:17-alpine} container. Everything that can go wrong while looking for Docker or
 * starting the container yields empty, so that the caller falls back to an embedded server.
 */
final class ContainerPostgres implements RunningPostgres {

    private static final String IMAGE = "postgres:17-alpine";
    private static final long DOCKER_PROBE_SECONDS = 20;

    private final PostgreSQLContainer<?> container;

    private ContainerPostgres(PostgreSQLContainer<?> container) {
        this.container = container;
    }

    /** Starts and provisions a container, or returns empty when Docker is missing or anything fails. */
    static Optional<RunningPostgres> startIfDockerAvailable() {
        if (!dockerConfigured() || !dockerResponds()) {
            return Optional.empty();
        }
        PostgreSQLContainer<?> container = null;
        try {
            container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE))
                    .withCommand("postgres", "-c", "max_connections=200", "-c", "password_encryption=scram-sha-256");
            container.start();
            try (Connection admin = DriverManager.getConnection(
                    container.getJdbcUrl(), container.getUsername(), container.getPassword())) {
                TestRoles.provision(admin);
                // Connections reach the container through Docker's network, never from 127.0.0.1 inside it.
                HbaRules.requirePasswords(admin, List.of("all"));
            }
            return Optional.of(new ContainerPostgres(container));
        } catch (Throwable e) {
            System.out.println("[pgmux test-support] Testcontainers PostgreSQL failed, falling back: " + e);
            if (container != null) {
                stopQuietly(container);
            }
            return Optional.empty();
        }
    }

    /** Cheap check first: without it Testcontainers probes for an engine that is not there. */
    private static boolean dockerConfigured() {
        String dockerHost = System.getenv("DOCKER_HOST");
        return (dockerHost != null && !dockerHost.isBlank()) || Files.exists(Path.of("/var/run/docker.sock"));
    }

    /** Asks Testcontainers, bounded in time because a stale socket can make the probe hang. */
    private static boolean dockerResponds() {
        try {
            return CompletableFuture.supplyAsync(() -> DockerClientFactory.instance().isDockerAvailable())
                    .get(DOCKER_PROBE_SECONDS, TimeUnit.SECONDS);
        } catch (Throwable e) {
            return false;
        }
    }

    private static void stopQuietly(PostgreSQLContainer<?> container) {
        try {
            container.stop();
        } catch (Throwable ignored) {
            // Ryuk removes the container when this JVM exits anyway.
        }
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String source() {
        return "testcontainers";
    }

    @Override
    public void stop() {
        stopQuietly(container);
    }
}
