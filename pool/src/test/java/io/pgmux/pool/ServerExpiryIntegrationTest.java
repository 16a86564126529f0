// server_lifetime and server_idle_timeout: old or unused backends are closed, but never below min_pool_size.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerExpiryIntegrationTest {

    @Test
    void backendPastItsLifetimeIsClosedWhenReturnedAndWhileIdle() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 2}
                timeouts: {server_lifetime: 1500ms}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection held = bed.acquire(pool);
            int heldPid = PoolTestBed.pid(held);
            ServerConnection idle = bed.acquire(pool);
            int idlePid = PoolTestBed.pid(idle);
            pool.release(idle, false);
            PoolTestBed.await("both backends are past their lifetime", Duration.ofSeconds(5),
                    () -> held.ageNanos() > Duration.ofMillis(1600).toNanos());

            pool.release(held, false); // returned too old: closed instead of reused
            PoolTestBed.await("the janitor closed the idle one too", Duration.ofSeconds(5),
                    () -> pool.stats().total() == 0);
            assertThat(pool.counters().serversClosed()).isEqualTo(2);
            PoolTestBed.await("PostgreSQL saw both go", Duration.ofSeconds(5),
                    () -> livePids(heldPid, idlePid).isEmpty());

            ServerConnection fresh = bed.acquire(pool);
            assertThat(PoolTestBed.pid(fresh)).isNotIn(heldPid, idlePid);
            pool.release(fresh, false);
        }
    }

    @Test
    void unusedBackendsAreClosedDownToTheMinimum() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 4, min_pool_size: 1}
                timeouts: {server_idle_timeout: 600ms}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection a = bed.acquire(pool);
            ServerConnection b = bed.acquire(pool);
            ServerConnection c = bed.acquire(pool);
            pool.release(a, false);
            pool.release(b, false);
            pool.release(c, false); // c is the most recently used
            assertThat(pool.stats().idle()).isEqualTo(3);

            PoolTestBed.await("idle backends beyond the minimum are closed", Duration.ofSeconds(5),
                    () -> pool.stats().total() == 1);
            Thread.sleep(900); // longer than the idle timeout again: the minimum stays
            assertThat(pool.stats().total()).isEqualTo(1);
            assertThat(pool.counters().serversClosed()).isEqualTo(2);
            assertThat(livePids(PoolTestBed.pid(a), PoolTestBed.pid(b), PoolTestBed.pid(c))).hasSize(1);
        }
    }

    @Test
    void recentlyUsedBackendIsNotClosedByTheIdleTimeout() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 2}
                timeouts: {server_idle_timeout: 800ms}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection server = bed.acquire(pool);
            pool.release(server, false);
            for (int i = 0; i < 5; i++) { // used every 300 ms for 1.5 s: never idle for 800 ms
                Thread.sleep(300);
                ServerConnection again = bed.acquire(pool);
                assertThat(again).isSameAs(server);
                pool.release(again, false);
            }
            assertThat(pool.counters().serversClosed()).isZero();
        }
    }

    private static java.util.Set<Integer> livePids(Integer... pids) {
        try {
            return PoolTestBed.livePids(List.of(pids));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
