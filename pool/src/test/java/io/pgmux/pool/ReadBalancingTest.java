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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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

    /**
     * Eight clients, four backends (two on each standby), every backend busy: a released backend would go straight
     * to the next waiting client, so a standby answering ten times faster would serve about nine transactions in
     * ten. Its backends are held back instead whenever it is ahead by the margin, so each standby serves half.
     */
    @Test
    void whenEveryBackendIsBusyAStandbyTenTimesSlowerStillServesHalfTheTransactions() throws Exception {
        hosts.add("s1", "on", true);
        hosts.add("s2", "on", true);
        Pool pool = pool(4, "s1", "s2");

        Map<String, Integer> byHost = busyTransactions(pool, 8, 2_000,
                host -> host.equals("s1") ? "SLEEP 2000" : "SLEEP 200");

        System.out.printf("[read-balancing] 2000 transactions, s1 ten times slower: %s%n", byHost);
        assertThat(byHost.get("s1") + byHost.get("s2")).isEqualTo(2_000);
        assertThat(byHost.get("s1")).as("transactions on the slow standby of 2000").isBetween(950, 1_050);
        assertThat(pool.stats().idle()).isEqualTo(4);
        assertThat(pool.stats().waiting()).isZero();
    }

    /**
     * A standby whose every backend is stuck in a long transaction holds nobody for longer than the hold bound: the
     * other standby's backends wait for it only until nothing was lent for that long, then serve everyone, and the
     * stuck standby rejoins once its backends come back, making up for a few of the transactions it missed, not for
     * all of them in one long burst.
     */
    @Test
    void aStandbyStuckInLongTransactionsHoldsClientsOnlyUntilTheHoldBound() throws Exception {
        hosts.add("s1", "on", true);
        hosts.add("s2", "on", true);
        Pool pool = pool(4, "s1", "s2");
        List<ServerConnection> opened = acquire(pool, 4);
        List<ServerConnection> stuck = opened.stream().filter(s -> s.target().host().equals("s1")).toList();
        assertThat(stuck).hasSize(2);
        opened.stream().filter(s -> !stuck.contains(s)).forEach(s -> pool.release(s, false));

        EventLoop client = bed.loop();
        int beforeHold = 0;
        Future<ServerConnection> next;
        while ((next = pool.acquire(client)).await(200, TimeUnit.MILLISECONDS)) {
            assertThat(next.getNow().target().host()).isEqualTo("s2");
            pool.release(next.getNow(), false);
            assertThat(++beforeHold).as("transactions lent before the hold").isLessThanOrEqualTo(HostShares.MARGIN);
        }
        assertThat(beforeHold).isPositive();
        assertThat(pool.stats().idle()).as("s2's backends wait, idle, for s1 to catch up").isEqualTo(2);

        bed.clock.advance(Duration.ofNanos(HostShares.MAX_HOLD_NANOS));
        ServerConnection served = next.get(5, TimeUnit.SECONDS);
        assertThat(served.target().host()).isEqualTo("s2");
        pool.release(served, false);
        for (int i = 0; i < 100; i++) {
            ServerConnection server = pool.acquire(client).get(5, TimeUnit.SECONDS); // the clock stands still now
            pool.release(server, false);
        }

        stuck.forEach(s -> pool.release(s, false));
        Map<String, Integer> byHost = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            ServerConnection server = pool.acquire(client).get(5, TimeUnit.SECONDS);
            byHost.merge(server.target().host(), 1, Integer::sum);
            pool.release(server, false);
        }
        // s1 takes the first MAKE_UP alone, then the two alternate.
        assertThat(byHost).containsEntry("s1", 50 + HostShares.MAKE_UP / 2)
                .containsEntry("s2", 50 - HostShares.MAKE_UP / 2);
    }

    /**
     * {@code total} transactions by {@code clients} threads, each acquiring a backend, running the statement
     * {@code statementOn} gives for the backend's host, and releasing it; counted by host.
     */
    private Map<String, Integer> busyTransactions(Pool pool, int clients, int total,
                                                  Function<String, String> statementOn) throws Exception {
        Map<String, AtomicInteger> byHost = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(threads.submit(() -> {
                    while (started.getAndIncrement() < total) {
                        ServerConnection server = pool.acquire(bed.loop()).get(5, TimeUnit.SECONDS);
                        String host = server.target().host();
                        server.execute(List.of(statementOn.apply(host))).get(5, TimeUnit.SECONDS);
                        byHost.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
                        pool.release(server, false);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> client : running) {
                client.get(20, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        Map<String, Integer> counts = new HashMap<>();
        byHost.forEach((host, count) -> counts.put(host, count.get()));
        return counts;
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
