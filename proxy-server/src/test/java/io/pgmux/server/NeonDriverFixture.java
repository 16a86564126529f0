package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code @neondatabase/serverless} driver from npm, installed with {@code npm ci} from the committed lockfile
 * under src/test/node/neon into target/neon-driver, and the node scripts that drive it. Tests are skipped, with the
 * reason, when node or npm is not on the PATH.
 */
final class NeonDriverFixture {
    private static final Path SOURCE = Path.of("src", "test", "node", "neon");
    private static final Path INSTALLED = Path.of("target", "neon-driver");
    private static final long INSTALL_SECONDS = 240;
    private static final long SCRIPT_SECONDS = 90;

    private NeonDriverFixture() {
    }

    /** Copies the fixture and runs {@code npm ci} once per build; skips the calling test without node. */
    static synchronized Path install() throws Exception {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"),
                "node and npm are needed to run the @neondatabase/serverless driver; not found on the PATH");
        Path lock = INSTALLED.resolve("package-lock.json");
        boolean current = Files.exists(INSTALLED.resolve("node_modules/@neondatabase/serverless/package.json"))
                && Files.exists(lock) && Files.mismatch(lock, SOURCE.resolve("package-lock.json")) == -1;
        copyFixture();
        if (!current) {
            Result ci = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(),
                    INSTALL_SECONDS);
            assertThat(ci.exitCode()).as("npm ci failed:\n%s", ci.output()).isZero();
        }
        return INSTALLED;
    }

    /** Runs {@code node script} in the installed fixture with {@code environment}. */
    static Result node(String script, Map<String, String> environment) throws Exception {
        return run(List.of("node", script), environment, SCRIPT_SECONDS);
    }

    private static void copyFixture() throws IOException {
        Files.createDirectories(INSTALLED);
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, INSTALLED.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Result run(List<String> command, Map<String, String> environment, long seconds)
            throws Exception {
        Path log = Files.createTempFile("neon-driver", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(INSTALLED.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + seconds + " s: " + command + "\n" + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** What a command printed (stdout and stderr) and how it exited; -1 when it ran out of time. */
    record Result(int exitCode, String output) {
    }
}
