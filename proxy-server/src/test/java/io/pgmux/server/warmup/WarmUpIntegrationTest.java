package io.pgmux.server.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.testing.DetectLeaks;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The warm-up's synthetic clients go through a private pgmux to the scripted backend with the real configuration's
 * authentication method, every statement succeeds, and the bound ends a warm-up that would take longer.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarmUpIntegrationTest {

    /** The real configuration; its backend is never contacted (nothing listens on port 1). */
    private static PgmuxConfig real(String authType, String warmup) {
        return ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                auth_type: %s
                warmup: %s
                databases:
                  app:
                    host: 127.0.0.1
                    port: 1
                users:
                  app:
                    password: secret
                """.formatted(authType, warmup));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scram-sha-256", "md5", "password", "trust"})
    void everySyntheticClientLogsInAndRunsItsStatements(String authType) throws Exception {
        WarmUp warmUp = new WarmUp(real(authType, "60s"), 40);
        warmUp.begin();
        WarmUp.Result result = warmUp.finished().get(60, TimeUnit.SECONDS);
        assertThat(result.failures()).isZero();
        assertThat(result.logins()).isEqualTo(40);
        assertThat(result.statements()).isEqualTo(40 * SyntheticClient.STATEMENTS);
    }

    @Test
    void theBoundEndsALongerWarmUp() throws Exception {
        WarmUp warmUp = new WarmUp(real("scram-sha-256", "300ms"), 1_000_000);
        long started = System.nanoTime();
        warmUp.begin();
        WarmUp.Result result = warmUp.finished().get(60, TimeUnit.SECONDS);
        assertThat(result.failures()).isZero();
        assertThat(result.logins()).isPositive().isLessThan(1_000_000);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
    }

    @Test
    void leavesNothingRunning() throws Exception {
        WarmUp warmUp = new WarmUp(real("md5", "60s"), 8);
        warmUp.begin();
        warmUp.finished().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (warmUpThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(warmUpThreads()).as("threads of the private listener, its clients and the scripted backend")
                .isZero();
    }

    private static long warmUpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("pgmux-warmup")).count();
    }
}
