package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented production launcher, {@code deploy/pgmux}: it runs pgmux with the shipped JVM settings
 * ({@code deploy/jvm.options}) and two glibc malloc arenas, and makes a class-data-sharing archive on the first run
 * that later runs use.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIntegrationTest {

    @Test
    void servesWithTheShippedSettingsAndReusesItsClassArchive(@TempDir Path cds) throws Exception {
        Map<String, String> environment = Map.of("PGMUX_CDS_DIR", cds.toString());
        try (ChildPgmux first = ChildPgmux.startWithLauncher(environment)) {
            first.login().close();
            assertThat(first.vmFlags()).as(first.logTail()).contains("-XX:+UseSerialGC", "-XX:NewSize=8388608",
                    "-XX:InitialHeapSize=67108864", "-XX:TrimNativeHeapInterval=1000");
            assertThat(first.processEnvironment()).contains("MALLOC_ARENA_MAX=2");
            assertThat(first.commandLine()).as(first.logTail())
                    .anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit=")
                            || option.equals("-XX:+AutoCreateSharedArchive"));
            assertThat(first.stop()).as(first.logTail()).isZero();
        }
        assertThat(archives(cds)).as("the archive written as the first run exited").hasSize(1);

        try (ChildPgmux second = ChildPgmux.startWithLauncher(environment)) {
            second.login().close();
            assertThat(second.commandLine())
                    .anyMatch(option -> option.startsWith("-XX:SharedArchiveFile=" + cds));
            assertThat(second.logText()).doesNotContain("Unable to use shared archive");
        }
    }

    private static List<Path> archives(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }
}
