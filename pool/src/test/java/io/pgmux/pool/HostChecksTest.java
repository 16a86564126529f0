// The periodic health check against scripted fake servers: down hosts, lagging standbys, roles changed quietly.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.TargetSessionAttrs;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostChecksTest {
    private static final Duration PERIOD = Duration.ofSeconds(10);
    private final FakePoolBed bed = new FakePoolBed();
    private final FakeHosts hosts = new FakeHosts(bed);

    @AfterEach
    void close() {
        hosts.close();
        bed.close();
    }

    @Test
    void aStandbyLaggingBeyondTheLimitGetsNoTransactionsUntilItCatchesUp() throws Exception {
        hosts.add("s1", "on", true);
        FakeBackend s2 = hosts.add("s2", "on", true);
        Pool pool = pool(TargetSessionAttrs.STANDBY, Duration.ofSeconds(1), "s1", "s2");
        warm(pool, 4);

        s2.replayLag(5_000);
        checkRound(pool);
        assertThat(states(pool)).containsExactly("s1:5432 standby up 0", "s2:5432 standby lagging 5000");
        FakePoolBed.await("the idle backends on the lagging standby closed", () -> s2.open() == 0);
        assertThat(transactionsByHost(pool, 200)).containsOnlyKeys("s1");

        s2.replayLag(0);
        checkRound(pool);
        assertThat(states(pool)).containsExactly("s1:5432 standby up 0", "s2:5432 standby up 0");
        warm(pool, 4);
        assertThat(transactionsByHost(pool, 200)).containsOnlyKeys("s1", "s2");
    }

    @Test
    void aHostFailingItsCheckGetsNoNewBackendsUntilACheckPasses() throws Exception {
        hosts.add("s1", "on", true);
        FakeBackend s2 = hosts.add("s2", "on", true);
        Pool pool = pool(TargetSessionAttrs.STANDBY, Duration.ZERO, "s1", "s2");
        bed.acquire(pool); // the pool learns its loop; the backend stays held

        hosts.down("s2", true);
        checkRound(pool);
        assertThat(states(pool)).containsExactly("s1:5432 standby up 0", "s2:5432 unknown down -1");
        int attemptsWhileDown = hosts.attempts("s2");
        // Long after the login back-off: a host that failed its check is still left alone while another serves.
        bed.clock.advance(Duration.ofSeconds(9));
        List<ServerConnection> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(bed.acquire(pool));
        }
        assertThat(held).allSatisfy(s -> assertThat(s.target().host()).isEqualTo("s1"));
        assertThat(hosts.attempts("s2")).isEqualTo(attemptsWhileDown);

        hosts.down("s2", false);
        checkRound(pool);
        assertThat(states(pool)).containsExactly("s1:5432 standby up 0", "s2:5432 standby up 0");
        held.forEach(pool::discard);
        ServerConnection next = bed.acquire(pool);
        ServerConnection other = bed.acquire(pool);
        assertThat(List.of(next.target().host(), other.target().host())).contains("s2");
        assertThat(s2.open()).isPositive();
    }

    /** A check refused as a login (28P01: credentials a client login has not taught the pool yet) is no outage. */
    @Test
    void aCheckRefusedAsALoginLeavesTheHostUp() throws Exception {
        hosts.add("s1", "on", true);
        FakeBackend s2 = hosts.add("s2", "on", true);
        Pool pool = pool(TargetSessionAttrs.STANDBY, Duration.ZERO, "s1", "s2");
        warm(pool, 2);

        s2.refuseLogins(true);
        checkRound(pool);

        assertThat(states(pool)).containsExactly("s1:5432 standby up 0", "s2:5432 standby up -1");
        assertThat(s2.open()).as("its backends stay").isEqualTo(1);
    }

    /** A server older than 14 reports no in_hot_standby: only the check learns that the primary became a standby. */
    @Test
    void aRoleChangeFoundByTheCheckMovesTheReadWritePoolWithoutAClientError() throws Exception {
        FakeBackend p1 = hosts.add("p1", null, false);
        FakeBackend s1 = hosts.add("s1", null, true);
        Pool pool = pool(TargetSessionAttrs.READ_WRITE, Duration.ZERO, "p1", "s1");
        ServerConnection busy = bed.acquire(pool);
        ServerConnection idle = bed.acquire(pool);
        pool.release(idle, false);
        assertThat(busy.target().host()).isEqualTo("p1");

        p1.recoveryQuietly(true); // demoted
        s1.recoveryQuietly(false); // promoted
        checkRound(pool);

        assertThat(states(pool)).containsExactly("p1:5432 standby up 0", "s1:5432 primary up -1");
        FakePoolBed.await("the idle backend on the old primary closed", () -> !idle.isOpen());
        pool.release(busy, false);
        FakePoolBed.await("the busy one closed when it came back", () -> !busy.isOpen());
        ServerConnection fresh = bed.acquire(pool);
        assertThat(fresh.target().host()).isEqualTo("s1");
    }

    private Pool pool(TargetSessionAttrs attrs, Duration maxLag, String... names) {
        Pool pool = new Pool(new PoolKey("app", "app"), FakeHosts.target(attrs, names),
                FakePoolBed.limits(4, Duration.ofSeconds(10)), hosts, ConnectionBudget.unlimited("database app"),
                ConnectionBudget.unlimited("user app"), () -> null, bed.clock);
        pool.hostCheckSettings(new HostChecks.Settings(PERIOD, maxLag));
        bed.adopt(pool);
        return pool;
    }

    /** Opens {@code count} backends (they spread over the hosts) and gives them back idle. */
    private void warm(Pool pool, int count) throws Exception {
        List<ServerConnection> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(bed.acquire(pool));
        }
        held.forEach(s -> pool.release(s, false));
    }

    /** Moves the clock past the period and runs one janitor tick, then waits until every host was checked. */
    private void checkRound(Pool pool) throws Exception {
        bed.clock.advance(PERIOD);
        pool.maintain(bed.clock.nanoTime());
        FakePoolBed.await("every host checked", () -> !pool.hostChecksRunning());
    }

    private Map<String, Integer> transactionsByHost(Pool pool, int count) throws Exception {
        Map<String, Integer> byHost = new HashMap<>();
        for (int i = 0; i < count; i++) {
            ServerConnection server = bed.acquire(pool);
            byHost.merge(server.target().host(), 1, Integer::sum);
            pool.release(server, false);
        }
        return byHost;
    }

    static List<String> states(Pool pool) {
        return pool.hosts().stream().map(h -> h.address() + " " + h.role().text() + " " + h.state() + " "
                + h.replayLagMillis()).toList();
    }
}
