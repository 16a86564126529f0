package io.pgmux.server.fleet;

import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One pgmux replica of a fleet: a process of its own started from the shaded jar (built in the package phase,
 * before the integration tests), in front of the shared test PostgreSQL, with its admin HTTP endpoint on a free
 * port. {@link #close} kills it if it still runs, so a failing test leaves no process behind.
 */
final class FleetProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int port;
    final int adminPort;
    private final Process process;
    private final Path log;

    private FleetProcess(Process process, Path log, int port, int adminPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * Starts pgmux listening on {@code port} in transaction mode, with {@code yamlExtras} appended to the top level
     * of its configuration, and returns once /health/ready answers 200.
     */
    static FleetProcess start(int port, int poolSize, String yamlExtras) throws Exception {
        Path jar = Path.of("target", "pgmux.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the shaded jar " + jar.toAbsolutePath() + " is built by mvn package");
        }
        PostgresFixture pg = PostgresFixture.shared();
        int adminPort = FreePorts.find();
        String yaml = """
                listen: 127.0.0.1:%d
                admin_listen: 127.0.0.1:%d
                auth_type: md5
                worker_threads: 1
                pool:
                  mode: transaction
                  default_pool_size: %d
                timeouts:
                  server_connect_timeout: 10s
                  server_login_retry: 1s
                  query_wait_timeout: 60s
                  shutdown_timeout: 10s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                """.formatted(port, adminPort, poolSize, pg.database(), pg.host(), pg.port(), pg.user(),
                pg.password()) + yamlExtras
                // Three replicas warming up at once would only slow these tests down; one test asks for it.
                + (yamlExtras.contains("warmup:") ? "" : "warmup: 0s\n");
        Path config = Files.createTempFile("pgmux-fleet", ".yaml");
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        Path log = Files.createTempFile("pgmux-fleet", ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--config", config.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FleetProcess member = new FleetProcess(process, log, port, adminPort);
        try {
            member.awaitHealth("/health/ready", 200, Duration.ofSeconds(60));
            return member;
        } catch (Exception | AssertionError e) {
            member.close();
            throw new IllegalStateException("pgmux did not start; its log ends with:\n" + member.logTail(), e);
        }
    }

    /** The HTTP status of an admin path, or -1 when the admin endpoint does not answer. */
    int health(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until {@code path} answers {@code status}; fails after {@code timeout}. */
    void awaitHealth(String path, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = health(path);
        while (last != status) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError(path + " answered " + last + ", expected " + status);
            }
            Thread.sleep(50);
            last = health(path);
        }
    }

    /** A JDBC connection through this replica, as the test user. */
    Connection connect() throws SQLException {
        return connect(port);
    }

    /** A JDBC connection to {@code port} of 127.0.0.1, as the test user. */
    static Connection connect(int port) throws SQLException {
        PostgresFixture pg = PostgresFixture.shared();
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("prepareThreshold", "0");
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + pg.database(), p);
    }

    /** SIGTERM: pgmux drains and exits. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: pgmux vanishes without closing anything. */
    void kill() {
        process.destroyForcibly();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the process to end; its exit code, or -1 while it still runs. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    String logTail() {
        String text = log();
        return text.substring(Math.max(0, text.length() - 4000));
    }

    /** Everything the process has written so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
