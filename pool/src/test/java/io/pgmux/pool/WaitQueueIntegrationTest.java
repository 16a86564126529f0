// The wait queue under load and in detail: no waiter lost or served twice, FIFO positions, counters that add up.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.pgmux.protocol.PgException;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitQueueIntegrationTest {

    private static final int CLIENTS = 500;

    @Test
    void fiveHundredConcurrentAcquiresAreEachServedOrTimedOutExactlyOnce() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 2, min_pool_size: 2}
                timeouts: {query_wait_timeout: 300ms}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            // min_pool_size logs both backends in first: the storm measures the queue, not the logins.
            PoolTestBed.await("both backends are idle", Duration.ofSeconds(10), () -> pool.stats().idle() == 2);
            Set<ServerConnection> held = ConcurrentHashMap.newKeySet();
            Set<ServerConnection> everLent = ConcurrentHashMap.newKeySet();
            AtomicIntegerArray completions = new AtomicIntegerArray(CLIENTS);
            AtomicInteger served = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            AtomicReference<String> violation = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(CLIENTS);

            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                EventLoop loop = bed.loop();
                // Each client acquires from its own event loop, as client sessions do.
                loop.execute(() -> pool.acquire(loop).addListener((Future<ServerConnection> f) -> {
                    completions.incrementAndGet(client);
                    if (f.isSuccess()) {
                        ServerConnection server = f.getNow();
                        everLent.add(server);
                        if (!held.add(server)) {
                            violation.set(server + " lent to two clients at once");
                        }
                        served.incrementAndGet();
                        loop.schedule(() -> {
                            held.remove(server);
                            pool.release(server, false);
                            done.countDown();
                        }, 5, TimeUnit.MILLISECONDS);
                    } else {
                        if (f.cause() instanceof PgException pg && pg.getMessage().startsWith("query_wait_timeout")) {
                            timedOut.incrementAndGet();
                        } else {
                            violation.set("unexpected failure: " + f.cause());
                        }
                        done.countDown();
                    }
                }));
            }

            assertThat(done.await(30, TimeUnit.SECONDS)).as("every acquisition completed").isTrue();
            Thread.sleep(100); // a duplicate completion would show up by now
            assertThat(violation.get()).isNull();
            for (int i = 0; i < CLIENTS; i++) {
                assertThat(completions.get(i)).as("completions of client " + i).isEqualTo(1);
            }
            assertThat(served.get() + timedOut.get()).isEqualTo(CLIENTS);
            assertThat(served.get()).isPositive();
            assertThat(timedOut.get()).as("2 backends held 5 ms each cannot serve 500 clients in 300 ms").isPositive();
            assertThat(everLent).hasSizeLessThanOrEqualTo(2);

            PoolCounters counters = pool.counters();
            assertThat(counters.waitTimeouts()).isEqualTo(timedOut.get());
            assertThat(counters.completedWaits()).isEqualTo(counters.waits());
            // At most the two clients that found an idle backend did not queue.
            assertThat(counters.waits()).isBetween(CLIENTS - 2L, (long) CLIENTS);
            assertThat(counters.exhaustionEvents()).isPositive().isLessThanOrEqualTo(counters.waits());
            assertThat(counters.waitNanosMax()).isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());
            assertThat(counters.waitNanosTotal()).isGreaterThanOrEqualTo(counters.waitNanosMax());
            assertThat(counters.connectAttempts()).isEqualTo(2);
            PoolStats stats = pool.stats();
            assertThat(stats.waiting()).isZero();
            assertThat(stats.idle()).isEqualTo(2);
            assertThat(stats.total()).isEqualTo(2);
        }
    }

    @Test
    void queuePositionsFollowArrivalOrderAndSkipCancelledWaiters() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 1}
                timeouts: {query_wait_timeout: 20s}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            Future<ServerConnection> first = pool.acquire(bed.loop());
            ServerConnection holder = first.get(10, TimeUnit.SECONDS);
            assertThat(pool.queuePosition(first)).isZero();

            List<Future<ServerConnection>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(pool.acquire(bed.loop()));
            }
            assertThat(waiting).extracting(pool::queuePosition).containsExactly(1, 2, 3);
            assertThat(pool.counters().exhaustionEvents()).isEqualTo(3);

            assertThat(waiting.get(1).cancel(false)).isTrue();
            PoolTestBed.await("the cancelled waiter left the queue", Duration.ofSeconds(5),
                    () -> pool.stats().waiting() == 2);
            assertThat(waiting).extracting(pool::queuePosition).containsExactly(1, 0, 2);

            pool.release(holder, false);
            ServerConnection second = waiting.get(0).get(10, TimeUnit.SECONDS);
            assertThat(second).isSameAs(holder);
            assertThat(pool.queuePosition(waiting.get(0))).isZero();
            assertThat(pool.queuePosition(waiting.get(2))).isEqualTo(1);

            pool.release(second, false);
            assertThat(waiting.get(2).get(10, TimeUnit.SECONDS)).isSameAs(holder);
            pool.release(holder, false);
            assertThat(pool.counters().connectAttempts()).isEqualTo(1);
        }
    }
}
