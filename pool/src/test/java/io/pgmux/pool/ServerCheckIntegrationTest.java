// server_check_query and server_check_delay: a backend idle too long must pass the check before a client gets it.
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
class ServerCheckIntegrationTest {
    /** Fails (division by zero) on a backend where the test set pgmux_test.healthy to 0, passes elsewhere. */
    private static final String CHECK = "SELECT 1 / coalesce(current_setting('pgmux_test.healthy', true), '1')::int";

    @Test
    void backendFailingTheCheckIsClosedAndTheNextOneIsLent() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 2, server_check_query: "%s"}
                timeouts: {server_check_delay: 0}
                """.formatted(CHECK), "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection healthy = bed.acquire(pool);
            ServerConnection broken = bed.acquire(pool);
            hold(broken, "SET pgmux_test.healthy = 0");
            pool.release(healthy, false);
            pool.release(broken, false);

            // Two clients take both idle backends (whichever loop they are on): the broken one never reaches them.
            ServerConnection lent1 = bed.acquire(pool);
            ServerConnection lent2 = bed.acquire(pool);
            assertThat(List.of(lent1, lent2)).doesNotContain(broken).contains(healthy);
            PoolTestBed.await("the broken backend is closed", Duration.ofSeconds(5), () -> !broken.isOpen());
            assertThat(pool.counters().serversClosed()).isEqualTo(1);
            assertThat(pool.counters().connectAttempts()).as("a fresh backend replaced the broken one").isEqualTo(3);
            PoolTestBed.await("PostgreSQL ended the broken backend", Duration.ofSeconds(5),
                    () -> livePids(broken).isEmpty());
            pool.release(lent1, false);
            pool.release(lent2, false);
        }
    }

    @Test
    void backendIdleForLessThanTheDelayIsLentWithoutCheck() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 2, server_check_query: "%s"}
                timeouts: {server_check_delay: 1h}
                """.formatted(CHECK), "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection broken = bed.acquire(pool);
            hold(broken, "SET pgmux_test.healthy = 0");
            pool.release(broken, false);
            assertThat(bed.acquire(pool)).as("not checked: idle for less than the delay").isSameAs(broken);
            pool.release(broken, false);
            assertThat(pool.counters().serversClosed()).isZero();
        }
    }

    @Test
    void whenEveryIdleBackendFailsTheClientGetsAFreshOne() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 1, server_check_query: "%s"}
                timeouts: {server_check_delay: 0, query_wait_timeout: 20s}
                """.formatted(CHECK), "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection broken = bed.acquire(pool);
            hold(broken, "SET pgmux_test.healthy = 0");
            pool.release(broken, false);

            ServerConnection fresh = bed.acquire(pool);
            assertThat(fresh).isNotSameAs(broken);
            PoolTestBed.await("the broken backend is closed", Duration.ofSeconds(5), () -> !broken.isOpen());
            assertThat(pool.counters().connectAttempts()).isEqualTo(2);
            pool.release(fresh, false);
        }
    }

    @Test
    void checkThatDoesNotAnswerWithinTheConnectTimeoutCountsAsFailed() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 1, server_check_query: "SELECT pg_sleep(5)"}
                timeouts: {server_check_delay: 0, server_connect_timeout: 2s, query_wait_timeout: 20s}
                """, "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            ServerConnection hung = bed.acquire(pool); // a fresh backend goes straight to its client, unchecked
            pool.release(hung, false);

            long start = System.nanoTime();
            ServerConnection fresh = bed.acquire(pool);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(fresh).isNotSameAs(hung);
            assertThat(waitedMillis).as("gave up on the check after 2 s, not after the 5 s query")
                    .isBetween(1900L, 4900L);
            PoolTestBed.await("the hung backend is closed", Duration.ofSeconds(5), () -> !hung.isOpen());
            pool.release(fresh, false);
        }
    }

    private static java.util.Set<Integer> livePids(ServerConnection server) {
        try {
            return PoolTestBed.livePids(List.of(PoolTestBed.pid(server)));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hold(ServerConnection server, String sql) throws Exception {
        assertThat(server.execute(List.of(sql)).await(5, TimeUnit.SECONDS)).isTrue();
    }
}
