// min_pool_size: backends opened as soon as the pool exists and re-opened when PostgreSQL ends them.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MinPoolSizeIntegrationTest {

    @Test
    void minimumIsOpenedWithoutAnyClientAndReopenedAfterTheServerEndsABackend() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 5, min_pool_size: 2}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            PoolTestBed.await("two idle backends", Duration.ofSeconds(10), () -> pool.stats().idle() == 2);
            assertThat(pool.stats().total()).isEqualTo(2);
            assertThat(pool.counters().waits()).isZero();

            ServerConnection first = bed.acquire(pool);
            ServerConnection second = bed.acquire(pool);
            List<Integer> pids = List.of(PoolTestBed.pid(first), PoolTestBed.pid(second));
            assertThat(PoolTestBed.livePids(pids)).containsExactlyInAnyOrderElementsOf(pids);
            assertThat(pool.counters().waits()).as("both were already logged in").isZero();
            pool.release(first, false);
            pool.release(second, false);

            PoolTestBed.terminate(pids.get(0));
            PoolTestBed.await("the ended backend is replaced", Duration.ofSeconds(10),
                    () -> pool.counters().serversClosed() == 1 && pool.stats().idle() == 2);
            assertThat(pool.counters().connectAttempts()).isEqualTo(3);

            ServerConnection a = bed.acquire(pool);
            ServerConnection b = bed.acquire(pool);
            Set<Integer> now = Set.of(PoolTestBed.pid(a), PoolTestBed.pid(b));
            assertThat(now).contains(pids.get(1)).doesNotContain(pids.get(0));
            assertThat(PoolTestBed.livePids(now)).containsExactlyInAnyOrderElementsOf(now);
            pool.release(a, false);
            pool.release(b, false);
        }
    }

    @Test
    void minimumCountsBackendsInUseAndIsCappedByTheDatabasePoolSize() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 5, min_pool_size: 3}
                """, "  small: {host: %s, port: %d, dbname: %s, pool_size: 1}".formatted(PoolTestBed.PG.host(),
                PoolTestBed.PG.port(), PoolTestBed.PG.database()))) {
            Pool small = bed.registry.pool("small", PoolTestBed.PG.user());
            PoolTestBed.await("one backend", Duration.ofSeconds(10), () -> small.stats().idle() == 1);
            Pool app = bed.registry.pool("app", PoolTestBed.PG.user());
            PoolTestBed.await("three backends", Duration.ofSeconds(10), () -> app.stats().idle() == 3);
            ServerConnection held = bed.acquire(app);
            Thread.sleep(300); // a few janitor ticks: lending one must not make the pool open a fourth
            assertThat(app.stats().total()).isEqualTo(3);
            assertThat(small.stats().total()).isEqualTo(1);
            app.release(held, false);
        }
    }

    @Test
    void withoutEventLoopsTheMinimumIsOpenedOnTheFirstClientsLoop() throws Exception {
        try (PoolTestBed bed = PoolTestBed.startWithoutLoops("""
                pool: {default_pool_size: 5, min_pool_size: 2}
                """)) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            Thread.sleep(200);
            assertThat(pool.stats().total()).as("no loop to open on before the first client").isZero();
            ServerConnection first = bed.acquire(pool);
            PoolTestBed.await("the second backend of the minimum", Duration.ofSeconds(10),
                    () -> pool.stats().idle() == 1);
            assertThat(pool.stats().total()).isEqualTo(2);
            pool.release(first, false);
        }
    }
}
