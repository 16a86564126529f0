package io.pgmux.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the psql client (libpq) as a child process; tests using it are skipped where psql is not installed. */
final class Psql {
    private Psql() {
    }

    record Result(int exitCode, String output) {
    }

    static void assumeInstalled() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, "psql"));
        }
        Assumptions.assumeTrue(found, "psql is not installed");
    }

    /** {@code psql "<conninfo>" -tAc "<sql>"} with the password in PGPASSWORD; waits at most 30 s. */
    static Result run(String conninfo, String password, String sql) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("psql", conninfo, "-X", "-w", "-tA", "-c", sql))
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("PGPASSWORD", password);
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        builder.environment().put("PGSSLCERT", "/nonexistent");
        builder.environment().put("PGSSLKEY", "/nonexistent");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("psql did not finish within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(process.exitValue(), output);
    }
}
