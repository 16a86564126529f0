// Reads of a pool of standbys spread evenly: new backends go to the least busy standby, idle ones are lent in turn.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
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
class ReadBalancingTest {
    private final FakePoolBed bed = new FakePoolBed();
    private final FakeHosts hosts = new FakeHosts(bed);

    @AfterEach
    void close() {
        hosts.close();
        bed.close();
    }

    /**
     * Four backends opened at once over a primary of unknown role and two standbys end up two and two: the one that
     * first reached the primary goes on to the standby with fewer backends, not to the next one in a fixed order.
     * When every backend is busy, each released backend goes straight to the next waiting client, so this split is
     * the split of the reads.
     */
    @Test
    void backendsOpenedTogetherSplitEvenlyOverTheStandbys() throws Exception {
        hosts.add("p1", "off", false);
        FakeBackend s1 = hosts.add("s1", "on", true);
        FakeBackend s2 = hosts.add("s2", "on", true);
        Pool pool = pool(4, "p1", "s1", "s2");

        for (int round = 0; round < 3; round++) {
            List<Future<ServerConnection>> acquiring = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                acquiring.add(pool.acquire(bed.loop()));
            }
            List<ServerConnection> held = new ArrayList<>();
            for (Future<ServerConnection> f : acquiring) {
                held.add(f.get(5, TimeUnit.SECONDS));
            }
            assertThat(s1.open()).as("backends on s1, round " + round).isEqualTo(2);
            assertThat(s2.open()).as("backends on s2, round " + round).isEqualTo(2);
            // Closing them all makes the next round open four new ones, with every role known this time.
            held.forEach(pool::discard);
            FakePoolBed.await("the sessions closed", () -> s1.open() + s2.open() == 0);
        }
    }

    /**
     * One client running 1,000 transactions one after the other: without turns it would get the warmest idle backend
     * (its own, on one host) every time; with them the hosts alternate.
     */
    @Test
    void idleBackendsAreLentPerTransactionOverTheHostsInTurn() throws Exception {
        hosts.add("s1", "on", true);
        hosts.add("s2", "on", true);
        Pool pool = pool(4, "s1", "s2");
        List<ServerConnection> warm = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            warm.add(bed.acquire(pool));
        }
        warm.forEach(s -> pool.release(s, false));

        EventLoop client = bed.loop();
        Map<String, Integer> byHost = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            ServerConnection server = pool.acquire(client).get(5, TimeUnit.SECONDS);
            byHost.merge(server.target().host(), 1, Integer::sum);
            pool.release(server, false);
        }

        assertThat(byHost.get("s1")).as("transactions on s1 of 1000").isBetween(450, 550);
        assertThat(byHost.get("s2")).as("transactions on s2 of 1000").isBetween(450, 550);
        assertThat(pool.stats().idle()).isEqualTo(4);
    }

    /**
     * A standby that was down while the other took every backend gets its share back: each backend given back to a
     * host with two more than another is closed, and its replacement opens on the less busy host.
     */
    @Test
    void aStandbyBackAfterAnOutageGetsItsShareOfTheBackends() throws Exception {
        FakeBackend s1 = hosts.add("s1", "on", true);
        FakeBackend s2 = hosts.add("s2", "on", true);
        hosts.down("s2", true);
        Pool pool = pool(4, "s1", "s2");
        List<ServerConnection> held = acquire(pool, 4);
        assertThat(s1.open()).isEqualTo(4);

        hosts.down("s2", false);
        bed.clock.advance(Duration.ofSeconds(6)); // past the back-off of a host whose login failed
        for (int round = 0; round < 4; round++) {
            held.forEach(s -> pool.release(s, false));
            held = acquire(pool, 4);
        }

        assertThat(held).extracting(s -> s.target().host()).containsExactlyInAnyOrder("s1", "s1", "s2", "s2");
        FakePoolBed.await("the closed backends' sessions ended", () -> s1.open() == 2 && s2.open() == 2);
    }

    private List<ServerConnection> acquire(Pool pool, int count) throws Exception {
        List<ServerConnection> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(bed.acquire(pool));
        }
        return held;
    }

    private Pool pool(int size, String... hostNames) {
        Pool pool = new Pool(new PoolKey("app", "app"), FakeHosts.target(TargetSessionAttrs.STANDBY, hostNames),
                FakePoolBed.limits(size, Duration.ofSeconds(10)), hosts, ConnectionBudget.unlimited("database app"),
                ConnectionBudget.unlimited("user app"), () -> null, bed.clock);
        bed.adopt(pool);
        return pool;
    }
}
