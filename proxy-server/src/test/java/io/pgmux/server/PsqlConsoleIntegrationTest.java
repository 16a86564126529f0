package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin console through psql (libpq), as operators and monitoring scripts use it. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PsqlConsoleIntegrationTest {
    private static OpsProxy proxy;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        proxy = OpsProxy.start("transaction", 2, "");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void everyShowPrintsPgBouncersColumns() throws Exception {
        assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 1")).isEqualTo(1);
        for (Map.Entry<String, List<String>> show : AdminConsoleIntegrationTest.COLUMNS.entrySet()) {
            Result r = psql(proxy.pg.user(), proxy.pg.password(), "SHOW " + show.getKey());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out().lines().findFirst()).as("SHOW %s", show.getKey())
                    .hasValue(String.join("|", show.getValue()));
        }
        Result pools = psql(proxy.pg.user(), proxy.pg.password(), "SHOW POOLS");
        assertThat(pools.out()).contains(proxy.pg.database() + "|" + proxy.pg.user() + "|");
        // psql sends application_name in its startup packet; its own console session is listed with it.
        Result clients = psql(proxy.pg.user(), proxy.pg.password(), "SHOW CLIENTS");
        assertThat(clients.out().lines().filter(l -> l.startsWith("C|" + proxy.pg.user() + "|pgbouncer|")))
                .anySatisfy(l -> assertThat(l).contains("|psql|"));
    }

    @Test
    void pauseAndResumeAsAdminButNotAsStatsUser() throws Exception {
        Result denied = psql(proxy.pg.md5User(), proxy.pg.md5Password(), "PAUSE");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.err()).contains("admin access needed for PAUSE");
        Result paused = psql(proxy.pg.user(), proxy.pg.password(), "PAUSE");
        assertThat(paused.exitCode()).as(paused.err()).isZero();
        Result state = psql(proxy.pg.md5User(), proxy.pg.md5Password(), "SHOW STATE");
        assertThat(state.out()).contains("paused|yes");
        Result resumed = psql(proxy.pg.user(), proxy.pg.password(), "RESUME");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 9")).isEqualTo(9);
    }

    @Test
    void unknownCommandIsASyntaxError() throws Exception {
        Result r = psql(proxy.pg.user(), proxy.pg.password(), "SHOW TABLES");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("unknown SHOW subject");
    }

    /** psql -X (no psqlrc), unaligned output; VERBOSITY would print the SQLSTATE but -c ignores \set. */
    private static Result psql(String user, String password, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-A", "-w", "-h", "127.0.0.1", "-p",
                String.valueOf(proxy.port()), "-U", user, "-d", "pgbouncer", "-c", command);
        pb.environment().put("PGPASSWORD", password);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("psql did not finish: " + command);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
