package io.pgmux.server;

import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * pgmux in a JVM of its own, started from the shaded jar (built in the package phase, before the integration tests),
 * for tests whose point is that pgmux's own heap and direct-memory limits hold. Logs go to a file, whose tail
 * {@link #logTail()} returns for failure messages.
 */
final class ChildPgmux implements AutoCloseable {
    private static final Path JAR = Path.of("target", "pgmux.jar");
    final PostgresFixture pg = PostgresFixture.shared();
    final int port;
    private final Process process;
    private final Path log;

    private ChildPgmux(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts pgmux with {@code jvmOptions} in front of the shared test PostgreSQL, md5 users as in {@link TestProxy},
     * and {@code yamlExtras} appended to the top level of the configuration; returns once a client can log in.
     */
    static ChildPgmux start(List<String> jvmOptions, String mode, int poolSize, String yamlExtras) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        return start(command, Map.of(), mode, poolSize, yamlExtras);
    }

    /**
     * Starts pgmux the documented production way, through the {@code deploy/pgmux} launcher, with {@code environment}
     * added to the launcher's (e.g. where it keeps its class-data-sharing archive).
     */
    static ChildPgmux startWithLauncher(Map<String, String> environment) throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        env.put("PGMUX_JAR", JAR.toAbsolutePath().toString());
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return start(List.of("sh", Path.of("..", "deploy", "pgmux").toString()), env, "transaction", 2, "");
    }

    private static ChildPgmux start(List<String> launch, Map<String, String> environment, String mode, int poolSize,
                                    String yamlExtras) throws Exception {
        Path jar = JAR;
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the shaded jar " + jar.toAbsolutePath() + " is built by mvn package");
        }
        PostgresFixture pg = PostgresFixture.shared();
        int port = FreePorts.find();
        String yaml = """
                listen: 127.0.0.1:%d
                auth_type: md5
                warmup: 0s
                pool:
                  mode: %s
                  default_pool_size: %d
                timeouts:
                  server_connect_timeout: 10s
                  query_wait_timeout: 60s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                """.formatted(port, mode, poolSize, pg.database(), pg.host(), pg.port(), pg.user(), pg.password())
                + yamlExtras;
        Path config = Files.createTempFile("pgmux", ".yaml");
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        Path log = Files.createTempFile("pgmux", ".log");
        List<String> command = new ArrayList<>(launch);
        command.addAll(List.of("--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        ChildPgmux child = new ChildPgmux(process, log, port);
        try {
            child.awaitLogin();
            return child;
        } catch (Exception | AssertionError e) {
            child.close();
            throw new IllegalStateException("pgmux did not start; its log ends with:\n" + child.logTail(), e);
        }
    }

    private void awaitLogin() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (RawClient client = login()) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** A raw client logged in as the test user, at its first ReadyForQuery. */
    RawClient login() throws IOException {
        RawClient client = new RawClient(port);
        try {
            client.login(pg.user(), pg.password(), pg.database());
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The command line of the pgmux process (the launcher execs java, so this is java's). */
    List<String> commandLine() {
        return process.info().arguments().map(List::of).orElse(List.of());
    }

    /** The running JVM's flags as {@code jcmd VM.flags} prints them (those from argument files included). */
    String vmFlags() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "VM.flags").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** The pgmux process's environment as the kernel holds it (Linux): what the launcher exported included. */
    List<String> processEnvironment() throws IOException {
        byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
        return List.of(new String(environ, StandardCharsets.UTF_8).split("\0"));
    }

    /** Stops pgmux as an orchestrator does (SIGTERM) and waits for it to exit. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** The last 4000 characters pgmux logged. */
    String logTail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
