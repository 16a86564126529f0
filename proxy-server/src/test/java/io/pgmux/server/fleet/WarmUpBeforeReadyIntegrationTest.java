package io.pgmux.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pgmux process started as in production warms up before /health/ready first says ready: by then it has served
 * the warm-up's synthetic clients through its private listener, silently, and then serves real ones.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WarmUpBeforeReadyIntegrationTest {

    @Test
    void readyOnlyAfterTheWarmUp() throws Exception {
        try (FleetProcess pgmux = FleetProcess.start(FreePorts.find(), 2, "warmup: 4s\n")) {
            // start() returned at the first 200 from /health/ready: the warm-up had finished by then.
            Matcher done = Pattern.compile(
                    "warm-up done in \\d+ ms: (\\d+) synthetic logins \\(0 with TLS\\), (\\d+) statements; ready")
                    .matcher(pgmux.log());
            assertThat(done.find()).as("the warm-up's closing line in\n%s", pgmux.logTail()).isTrue();
            int logins = Integer.parseInt(done.group(1));
            assertThat(logins).as("synthetic logins (all, or as many as the bound allowed)").isPositive();
            assertThat(Integer.parseInt(done.group(2))).as("statements, seven per client").isEqualTo(7 * logins);
            // Nothing of the private listener shows in the log: no listening line, no client lines, no warnings.
            assertThat(pgmux.log()).doesNotContain("pgmux_warmup").doesNotContain("WARN")
                    .containsOnlyOnce("pgmux listening on");
            try (Connection c = FleetProcess.connect(pgmux.port); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }
}
