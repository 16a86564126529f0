// reserve_pool_size and reserve_pool_timeout: extra backends only for clients that have waited long enough.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReservePoolIntegrationTest {

    @Test
    void reserveOpensOnlyAfterTheTimeoutAndNeverBeyondItsSize() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 1, reserve_pool_size: 1, reserve_pool_timeout: 400ms}
                timeouts: {query_wait_timeout: 20s}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection regular = bed.acquire(pool);

            long start = System.nanoTime();
            Future<ServerConnection> second = pool.acquire(bed.loop());
            Thread.sleep(200);
            assertThat(second.isDone()).as("served before reserve_pool_timeout").isFalse();
            assertThat(pool.stats().total()).as("no reserve backend before the timeout").isEqualTo(1);

            ServerConnection reserve = second.get(10, TimeUnit.SECONDS);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
            assertThat(reserve).isNotSameAs(regular);
            assertThat(pool.stats().total()).isEqualTo(2);

            Future<ServerConnection> third = pool.acquire(bed.loop());
            Thread.sleep(900); // well past the timeout: the reserve is used up, so nothing more opens
            assertThat(third.isDone()).isFalse();
            assertThat(pool.stats().total()).isEqualTo(2);
            assertThat(pool.counters().connectAttempts()).isEqualTo(2);

            pool.release(regular, false);
            assertThat(third.get(10, TimeUnit.SECONDS)).isSameAs(regular);
            pool.release(regular, false);
            pool.release(reserve, false);
            assertThat(pool.counters().exhaustionEvents()).isEqualTo(2);
        }
    }
}
