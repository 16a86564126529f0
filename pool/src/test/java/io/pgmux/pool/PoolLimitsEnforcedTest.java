// The pool's budgets and deadlines: max_db_connections, the reserve, server_lifetime and server_idle_timeout.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PoolLimitsEnforcedTest {
    private static final Duration LIFETIME = Duration.ofMinutes(60);
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    private final FakePoolBed bed = new FakePoolBed();

    @AfterEach
    void close() {
        bed.close();
    }

    /** Size 1 plus a reserve of 1 after 5 s of waiting; the lifetimes above; no wait timeout. */
    private static PoolLimits withReserveAndLifetimes() {
        return new PoolLimits(1, 0, 1, Duration.ofSeconds(5), Duration.ZERO, "", "", Duration.ZERO,
                Duration.ofSeconds(5), LIFETIME, IDLE_TIMEOUT, Duration.ofSeconds(15));
    }

    @Test
    void maxDbConnectionsIsSharedByThePoolsOfADatabase() throws Exception {
        ConnectionBudget database = new ConnectionBudget("database app", 2);
        Pool alice = bed.pool("alice", FakePoolBed.limits(2, Duration.ZERO), bed.connector, database);
        Pool bob = bed.pool("bob", FakePoolBed.limits(2, Duration.ZERO), bed.connector, database);
        ServerConnection a1 = bed.acquire(alice);
        bed.acquire(alice);

        Future<ServerConnection> bobWaits = bob.acquire(bed.loop());
        assertThat(bobWaits.await(100)).as("bob waits: the database budget is spent").isFalse();
        assertThat(bob.counters().exhaustionEvents()).isEqualTo(1);
        assertThat(bed.backend.peak()).as("never more than max_db_connections opened").isEqualTo(2);

        // Given back, alice's backend idles; bob's pool takes its slot at the next maintenance tick.
        alice.release(a1, false);
        bob.maintain(bed.clock.nanoTime());
        ServerConnection bobs = bobWaits.get(5, TimeUnit.SECONDS);

        assertThat(bobs.pool()).isSameAs(bob);
        assertThat(database.used()).as("alice's idle backend gave its slot to bob").isEqualTo(2);
        FakePoolBed.await("alice's idle backend is closed", () -> bed.backend.open() == 2);
        assertThat(alice.stats().idle()).isZero();
    }

    @Test
    void theReserveOpensOnlyForAClientThatWaitedReservePoolTimeout() throws Exception {
        Pool pool = bed.pool(withReserveAndLifetimes());
        bed.acquire(pool);
        Future<ServerConnection> waiter = pool.acquire(bed.loop());

        bed.clock.advance(Duration.ofMillis(4900));
        pool.maintain(bed.clock.nanoTime());
        assertThat(waiter.await(100)).as("no reserve before reserve_pool_timeout").isFalse();
        bed.clock.advance(Duration.ofMillis(100));
        pool.maintain(bed.clock.nanoTime());

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(bed.backend.peak()).isEqualTo(2);
        assertThat(pool.counters().connectAttempts()).isEqualTo(2);
    }

    @Test
    void aBackendPastServerLifetimeIsClosedWhenItComesBack() throws Exception {
        Pool pool = bed.pool(withReserveAndLifetimes());
        ServerConnection old = bed.acquire(pool);

        bed.clock.advance(LIFETIME);
        pool.release(old, false);

        FakePoolBed.await("the old backend is closed", () -> bed.backend.open() == 0);
        assertThat(pool.stats().idle()).isZero();
        assertThat(bed.acquire(pool)).isNotSameAs(old);
        assertThat(bed.backend.logins()).isEqualTo(2);
    }

    @Test
    void anIdleBackendIsClosedAfterServerIdleTimeoutAndNotBefore() throws Exception {
        Pool pool = bed.pool(withReserveAndLifetimes());
        pool.release(bed.acquire(pool), false);

        bed.clock.advance(IDLE_TIMEOUT.minusSeconds(1));
        pool.maintain(bed.clock.nanoTime());
        assertThat(pool.stats().idle()).isEqualTo(1);
        bed.clock.advance(Duration.ofSeconds(1));
        pool.maintain(bed.clock.nanoTime());

        FakePoolBed.await("the idle backend is closed", () -> bed.backend.open() == 0);
        assertThat(pool.stats().idle()).isZero();
        assertThat(pool.counters().serversClosed()).isEqualTo(1);
    }

    @Test
    void anIdleBackendPastServerLifetimeIsClosedByMaintenance() throws Exception {
        Pool pool = bed.pool(withReserveAndLifetimes());
        ServerConnection server = bed.acquire(pool);
        bed.clock.advance(LIFETIME.minusMinutes(5));
        pool.release(server, false); // idle since now: only its age can expire it in the next 10 minutes

        bed.clock.advance(Duration.ofMinutes(5));
        pool.maintain(bed.clock.nanoTime());

        FakePoolBed.await("the old backend is closed", () -> bed.backend.open() == 0);
    }
}
