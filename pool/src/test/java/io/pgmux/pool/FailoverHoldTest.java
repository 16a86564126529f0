// The failover hold: while logins that used to work fail, clients wait, the pool retries quickly, and the new primary serves them.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.config.TargetSessionAttrs;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailoverHoldTest {
    private static final Duration LOGIN_RETRY = Duration.ofSeconds(15);
    private final FakePoolBed bed = new FakePoolBed();
    private final FakeHosts hosts = new FakeHosts(bed);

    @AfterEach
    void close() {
        hosts.close();
        bed.close();
    }

    @Test
    void aRestartIsHeldAndRetriedQuicklyNotAfterServerLoginRetry() throws Exception {
        hosts.add("p1", "off", false);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.ANY, "p1"), Duration.ofSeconds(30));
        pool.release(bed.acquire(pool), false);

        hosts.down("p1", true);
        FakePoolBed.await("the idle backend is gone", () -> pool.stats().idle() == 0);
        Future<ServerConnection> waiting = pool.acquire(bed.loop());
        awaitRetryArmed();
        assertThat(hosts.attempts("p1")).isEqualTo(2);
        Future<ServerConnection> arriving = pool.acquire(bed.loop());
        assertThat(arriving.isDone()).as("a client arriving during the hold waits, it is not refused").isFalse();

        for (int i = 0; i < 5; i++) { // 25, 50, 100, 200, 200 ms: each failure arms the next try
            int before = hosts.attempts("p1");
            bed.clock.advance(Duration.ofMillis(200));
            FakePoolBed.await("a quick retry", () -> hosts.attempts("p1") > before);
            awaitRetryArmed();
        }
        hosts.down("p1", false);
        bed.clock.advance(Duration.ofMillis(200));

        assertThat(waiting.get(5, TimeUnit.SECONDS).target().host()).isEqualTo("p1");
        assertThat(arriving.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(bed.clock.nanoTime() - 1_000_000_000L).as("well within server_login_retry")
                .isLessThan(LOGIN_RETRY.toNanos());
    }

    @Test
    void afterTheHoldWaitingClientsGetTheLoginError() throws Exception {
        hosts.add("p1", "off", false);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.ANY, "p1"), Duration.ofSeconds(1));
        pool.release(bed.acquire(pool), false);

        hosts.down("p1", true);
        FakePoolBed.await("the idle backend is gone", () -> pool.stats().idle() == 0);
        Future<ServerConnection> waiting = pool.acquire(bed.loop());
        for (int i = 0; i < 8 && !waiting.isDone(); i++) {
            FakePoolBed.await("the next retry armed " + i + " attempts " + hosts.attempts("p1") + " stats "
                    + pool.stats(), () -> bed.clock.pendingTimers() > 0 || waiting.isDone());
            bed.clock.advance(Duration.ofMillis(200));
        }

        PgException error = (PgException) FakePoolBed.failureOf(waiting);
        assertThat(error.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
        PgException refused = (PgException) FakePoolBed.failureOf(pool.acquire(bed.loop()));
        assertThat(refused.getMessage()).as("after the hold, server_login_retry applies again")
                .startsWith("server login has been failing");
    }

    @Test
    void switchoverFindsThePromotedStandbyAndNeverWritesOnAStandby() throws Exception {
        FakeBackend primary = hosts.add("p1", "off", false);
        FakeBackend standby = hosts.add("s1", "on", true);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.READ_WRITE, "p1", "s1"), Duration.ofSeconds(30));
        pool.release(bed.acquire(pool), false);

        hosts.down("p1", true);
        FakePoolBed.await("the idle backend is gone", () -> pool.stats().idle() == 0);
        Future<ServerConnection> waiting = pool.acquire(bed.loop());
        FakePoolBed.await("the standby was tried and refused", () -> standby.logins() >= 1 && standby.open() == 0);
        awaitRetryArmed();
        assertThat(waiting.isDone()).isFalse();

        standby.promote();
        bed.clock.advance(Duration.ofMillis(200));

        ServerConnection server = waiting.get(5, TimeUnit.SECONDS);
        assertThat(server.target().host()).isEqualTo("s1");
        assertThat(HostSelectionTest.roles(pool)).containsExactly("p1:5432 primary down", "s1:5432 primary up");
        assertThat(primary.open()).isZero();
    }

    @Test
    void aPoolThatNeverLoggedInIsNotHeld() throws Exception {
        hosts.add("p1", "off", false);
        hosts.down("p1", true);
        Pool pool = pool(FakeHosts.target(TargetSessionAttrs.ANY, "p1"), Duration.ofSeconds(30));

        assertThat(FakePoolBed.failureOf(pool.acquire(bed.loop()))).isInstanceOf(PgException.class);
        PgException refused = (PgException) FakePoolBed.failureOf(pool.acquire(bed.loop()));
        assertThat(refused.getMessage()).startsWith("server login has been failing");
        assertThat(hosts.attempts("p1")).isEqualTo(1);
    }

    /** The failure was handled: a retry is armed on the clock (the only timer: waiters wait without a limit). */
    private void awaitRetryArmed() throws InterruptedException {
        FakePoolBed.await("a retry armed", () -> bed.clock.pendingTimers() > 0);
    }

    private Pool pool(BackendTarget target, Duration hold) {
        PoolLimits limits = new PoolLimits(2, 0, 0, Duration.ofSeconds(5), Duration.ZERO, "DISCARD ALL", "",
                Duration.ZERO, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(10), LOGIN_RETRY, 0,
                hold);
        Pool pool = new Pool(new PoolKey("app", "app"), target, limits, hosts,
                ConnectionBudget.unlimited("database app"), ConnectionBudget.unlimited("user app"), () -> null,
                bed.clock);
        bed.adopt(pool);
        return pool;
    }
}
