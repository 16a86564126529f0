// max_db_connections and max_user_connections: exact limits shared by pools, with waiting pools woken, not starved.
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedLimitsIntegrationTest {
    private static final String SCRAM = PoolTestBed.PG.user();
    private static final String MD5 = PoolTestBed.PG.md5User();

    @Test
    void databaseLimitHoldsAcrossUsersAndAClosedBackendWakesTheWaitingPool() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 5, max_db_connections: 2}
                timeouts: {query_wait_timeout: 20s}
                """, "")) {
            Pool scram = bed.registry.pool("app", SCRAM);
            Pool md5 = bed.registry.pool("app", MD5);
            ServerConnection first = bed.acquire(scram);
            ServerConnection second = bed.acquire(scram);

            Future<ServerConnection> waiting = md5.acquire(bed.loop());
            Thread.sleep(300);
            assertThat(waiting.isDone()).isFalse();
            assertThat(md5.stats().total()).as("nothing opened beyond the database limit").isZero();
            assertThat(md5.counters().exhaustionEvents()).isEqualTo(1);
            assertThat(bed.registry.databaseBudget("app").used()).isEqualTo(2);

            PoolTestBed.terminate(PoolTestBed.pid(first)); // any backend of the database closing frees the slot
            ServerConnection served = waiting.get(10, TimeUnit.SECONDS);
            assertThat(served.pool()).isSameAs(md5);
            assertThat(bed.registry.databaseBudget("app").used()).isEqualTo(2);
            assertThat(PoolTestBed.livePids(List.of(PoolTestBed.pid(first)))).isEmpty();
            md5.release(served, false);
            scram.release(second, false);
        }
    }

    @Test
    void userLimitHoldsAcrossDatabasesAndIdleBackendsOfOtherPoolsAreEvictedForWaiters() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 5, max_user_connections: 1}
                timeouts: {query_wait_timeout: 20s}
                """, "")) {
            Pool app = bed.registry.pool("app", SCRAM);
            Pool app2 = bed.registry.pool("app2", SCRAM);
            ServerConnection held = bed.acquire(app);

            Future<ServerConnection> waiting = app2.acquire(bed.loop());
            Thread.sleep(300);
            assertThat(waiting.isDone()).as("the user's only slot is in use").isFalse();
            assertThat(app2.stats().total()).isZero();

            int oldPid = PoolTestBed.pid(held);
            app.release(held, false); // idle in the other pool: evicted for the waiting client
            ServerConnection served = waiting.get(10, TimeUnit.SECONDS);
            assertThat(served.pool()).isSameAs(app2);
            assertThat(app.stats().total()).isZero();
            assertThat(app.counters().serversClosed()).isEqualTo(1);
            PoolTestBed.await("the evicted backend is gone from PostgreSQL", Duration.ofSeconds(5),
                    () -> livePidsUnchecked(oldPid).isEmpty());
            assertThat(bed.registry.userBudget(SCRAM).used()).isEqualTo(1);
            app2.release(served, false);
        }
    }

    @Test
    void manyPoolsHammeringOneDatabaseLimitNeverExceedItAndAllAreServed() throws Exception {
        String shared = "  shared: {host: %s, port: %d, dbname: %s, user: %s, password: \"%s\"}".formatted(
                PoolTestBed.PG.host(), PoolTestBed.PG.port(), PoolTestBed.PG.database(), SCRAM,
                PoolTestBed.PG.password());
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 3, max_db_connections: 3}
                timeouts: {query_wait_timeout: 30s}
                """, shared)) {
            List<Pool> pools = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pools.add(bed.registry.pool("shared", "client" + i)); // four pools, one database, one login role
            }
            int perPool = 15;
            AtomicInteger inUse = new AtomicInteger();
            AtomicInteger maxInUse = new AtomicInteger();
            AtomicInteger maxBudget = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Set<Integer> pids = ConcurrentHashMap.newKeySet();
            CountDownLatch done = new CountDownLatch(pools.size() * perPool);
            ConnectionBudget budget = bed.registry.databaseBudget("shared");
            for (Pool pool : pools) {
                for (int i = 0; i < perPool; i++) {
                    EventLoop loop = bed.loop();
                    loop.execute(() -> pool.acquire(loop).addListener((Future<ServerConnection> f) -> {
                        if (!f.isSuccess()) {
                            failure.set(f.cause());
                            done.countDown();
                            return;
                        }
                        maxInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
                        maxBudget.accumulateAndGet(budget.used(), Math::max);
                        pids.add(PoolTestBed.pid(f.getNow()));
                        loop.schedule(() -> {
                            inUse.decrementAndGet();
                            pool.release(f.getNow(), false);
                            done.countDown();
                        }, 10, TimeUnit.MILLISECONDS);
                    }));
                }
            }
            assertThat(done.await(40, TimeUnit.SECONDS)).as("every client was served").isTrue();
            assertThat(failure.get()).isNull();
            assertThat(maxInUse.get()).isLessThanOrEqualTo(3);
            assertThat(maxBudget.get()).isLessThanOrEqualTo(3);
            assertThat(budget.used()).isLessThanOrEqualTo(3);
            assertThat(pools.stream().mapToInt(p -> p.stats().total()).sum()).isEqualTo(budget.used());
            assertThat(PoolTestBed.livePids(pids)).hasSizeLessThanOrEqualTo(3);

            bed.registry.closeAll();
            PoolTestBed.await("every slot is given back", Duration.ofSeconds(5), () -> budget.used() == 0);
            PoolTestBed.await("PostgreSQL saw every backend go", Duration.ofSeconds(5),
                    () -> livePids(pids).isEmpty());
        }
    }

    private static Set<Integer> livePidsUnchecked(int pid) {
        return livePids(List.of(pid));
    }

    private static Set<Integer> livePids(java.util.Collection<Integer> pids) {
        try {
            return PoolTestBed.livePids(pids);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
