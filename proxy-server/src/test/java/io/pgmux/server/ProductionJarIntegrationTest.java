package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The production jar carries no PostgreSQL binaries (pgmux-demo.jar does), and --demo run from it says where the
 * demo lives instead of failing with a linkage error.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProductionJarIntegrationTest {
    private static final Path JAR = Path.of("target", "pgmux.jar");
    private static final Path DEMO_JAR = Path.of("target", "pgmux-demo.jar");

    @Test
    void onlyTheDemoJarCarriesPostgres() throws IOException {
        assertThat(postgresEntries(JAR)).as("PostgreSQL in pgmux.jar").isZero();
        assertThat(postgresEntries(DEMO_JAR)).as("PostgreSQL in pgmux-demo.jar").isPositive();
    }

    @Test
    void demoFromTheProductionJarPointsToTheDemoJar() throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--demo").redirectErrorStream(true).start();
        try {
            assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(java.exitValue()).as(output).isEqualTo(2);
            assertThat(output).contains("--demo needs the demo build, pgmux-demo.jar");
        } finally {
            java.destroyForcibly();
        }
    }

    private static long postgresEntries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().filter(e -> e.getName().startsWith("io/zonky/") || e.getName().endsWith(".txz"))
                    .count();
        }
    }
}
