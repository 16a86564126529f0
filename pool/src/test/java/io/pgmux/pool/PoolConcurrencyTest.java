// Clients on every event loop acquiring and releasing at once: budgets hold and no acquisition is lost.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolConcurrencyTest {
    private static final int CLIENTS_PER_LOOP = 4;
    private static final int LOOPS = 4;
    private static final int CYCLES = 200;

    private final FakePoolBed bed = new FakePoolBed();
    /** Backends lent right now: a backend lent twice at once is the worst thing a pool can do. */
    private final Set<ServerConnection> lent = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> violation = new AtomicReference<>();
    private final AtomicInteger served = new AtomicInteger();

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void clientsOnEveryLoopShareOnePoolAndNeverExceedItsSize() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(3, Duration.ZERO));
        CountDownLatch done = startClients(List.of(pool), () -> pool.stats().active() + pool.stats().used() > 3);

        boolean finished = done.await(30, TimeUnit.SECONDS);

        assertThat(violation.get()).isNull();
        assertThat(finished).as("every client finished its cycles").isTrue();
        assertThat(served.get()).isEqualTo(LOOPS * CLIENTS_PER_LOOP * CYCLES);
        assertThat(bed.backend.peak()).as("default_pool_size").isLessThanOrEqualTo(3);
        FakePoolBed.await("every backend is back", () -> pool.stats().idle() == pool.stats().total());
        assertThat(pool.stats().waiting()).isZero();
        assertThat(pool.counters().completedWaits()).isEqualTo(pool.counters().waits());
    }

    @Test
    void twoPoolsSharingMaxDbConnectionsNeverExceedIt() throws Exception {
        ConnectionBudget database = new ConnectionBudget("database app", 3);
        Pool alice = bed.pool("alice", FakePoolBed.limits(2, Duration.ZERO), bed.connector, database);
        Pool bob = bed.pool("bob", FakePoolBed.limits(2, Duration.ZERO), bed.connector, database);
        CountDownLatch done = startClients(List.of(alice, bob), () -> database.used() > 3);

        // The janitor's tick, which moves idle slots to the pool whose clients wait for them; bounded.
        for (int tick = 0; tick < 3000 && !done.await(10, TimeUnit.MILLISECONDS); tick++) {
            alice.maintain(bed.clock.nanoTime());
            bob.maintain(bed.clock.nanoTime());
        }

        assertThat(violation.get()).isNull();
        assertThat(done.getCount()).as("clients still running").isZero();
        assertThat(served.get()).isEqualTo(2 * LOOPS * CLIENTS_PER_LOOP * CYCLES);
        assertThat(database.used()).isLessThanOrEqualTo(3);
        for (Pool pool : List.of(alice, bob)) {
            FakePoolBed.await("every backend of " + pool.key() + " is back",
                    () -> pool.stats().idle() == pool.stats().total());
            assertThat(pool.stats().waiting()).isZero();
        }
        assertThat(database.used()).isEqualTo(alice.stats().total() + bob.stats().total());
    }

    /**
     * Starts {@link #CLIENTS_PER_LOOP} clients of each pool on each of {@link #LOOPS} loops; each acquires, holds the
     * backend for one turn of its loop, releases it and starts again, {@link #CYCLES} times. {@code overBudget} is
     * checked while each backend is held.
     */
    private CountDownLatch startClients(List<Pool> pools, java.util.function.BooleanSupplier overBudget) {
        List<EventLoop> loops = new ArrayList<>();
        for (int i = 0; i < LOOPS; i++) {
            loops.add(bed.loop());
        }
        CountDownLatch done = new CountDownLatch(LOOPS * CLIENTS_PER_LOOP * pools.size());
        for (Pool pool : pools) {
            for (EventLoop loop : loops) {
                for (int c = 0; c < CLIENTS_PER_LOOP; c++) {
                    loop.execute(() -> cycle(pool, loop, CYCLES, done, overBudget));
                }
            }
        }
        return done;
    }

    private void cycle(Pool pool, EventLoop loop, int left, CountDownLatch done,
                       java.util.function.BooleanSupplier overBudget) {
        if (left == 0) {
            done.countDown();
            return;
        }
        pool.acquire(loop).addListener((Future<ServerConnection> f) -> {
            if (!f.isSuccess()) {
                violation.compareAndSet(null, "an acquisition failed: " + f.cause());
                done.countDown();
                return;
            }
            ServerConnection server = f.getNow();
            served.incrementAndGet();
            if (!lent.add(server)) {
                violation.compareAndSet(null, server + " lent to two clients at once");
            }
            if (overBudget.getAsBoolean()) {
                violation.compareAndSet(null, "over budget while " + server + " was lent");
            }
            loop.execute(() -> {
                lent.remove(server);
                pool.release(server, false);
                cycle(pool, loop, left - 1, done, overBudget);
            });
        });
    }
}
