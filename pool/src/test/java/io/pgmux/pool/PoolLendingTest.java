// Lending, returning and waiting in one pool, against a scripted fake backend and a clock the test moves.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PoolLendingTest {
    private final FakePoolBed bed = new FakePoolBed();

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void aReturnedBackendIsLentAgainWithoutANewLogin() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(2, Duration.ZERO));
        ServerConnection first = bed.acquire(pool);
        assertThat(pool.stats().active()).isEqualTo(1);

        pool.release(first, false);
        assertThat(pool.stats().idle()).isEqualTo(1);
        ServerConnection second = bed.acquire(pool);

        assertThat(second).isSameAs(first);
        assertThat(bed.backend.logins()).isEqualTo(1);
        assertThat(pool.counters().connectAttempts()).isEqualTo(1);
    }

    @Test
    void waitersAreServedInTheOrderTheyArrived() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ZERO));
        ServerConnection server = bed.acquire(pool);
        List<Future<ServerConnection>> waiters = List.of(pool.acquire(bed.loop()), pool.acquire(bed.loop()),
                pool.acquire(bed.loop()));
        assertThat(pool.stats().waiting()).isEqualTo(3);
        assertThat(waiters.stream().map(pool::queuePosition).toList()).containsExactly(1, 2, 3);

        for (Future<ServerConnection> waiter : waiters) {
            pool.release(server, false);
            server = waiter.get(5, TimeUnit.SECONDS);
            for (Future<ServerConnection> later : waiters.subList(waiters.indexOf(waiter) + 1, waiters.size())) {
                assertThat(later.isDone()).as("a later waiter is still waiting").isFalse();
            }
        }
        assertThat(bed.backend.logins()).isEqualTo(1);
        assertThat(pool.stats().waiting()).isZero();
    }

    @Test
    void defaultPoolSizeBoundsTheBackendsOpen() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(2, Duration.ZERO));
        ServerConnection a = bed.acquire(pool);
        bed.acquire(pool);
        Future<ServerConnection> third = pool.acquire(bed.loop());

        assertThat(third.await(100)).as("the third client waits").isFalse();
        assertThat(bed.backend.peak()).isEqualTo(2);
        assertThat(pool.counters().exhaustionEvents()).isEqualTo(1);

        pool.release(a, false);
        assertThat(third.get(5, TimeUnit.SECONDS)).isSameAs(a);
        assertThat(bed.backend.peak()).isEqualTo(2);
    }

    @Test
    void aTransactionLeftOpenIsRolledBackAndAResetRunsTheResetQuery() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ZERO));
        ServerConnection server = bed.acquire(pool);
        server.execute(List.of("BEGIN")).get(5, TimeUnit.SECONDS);
        // Recorded by the backend's relay handler, not by whoever ran the statement.
        assertThat(server.transactionStatus()).isEqualTo(TransactionStatus.IN_TRANSACTION);

        pool.release(server, true);
        FakePoolBed.await("the backend is idle again", () -> pool.stats().idle() == 1);

        assertThat(bed.backend.statements()).containsExactly("BEGIN", "ROLLBACK", "DISCARD ALL");
        assertThat(server.transactionStatus()).isEqualTo(TransactionStatus.IDLE);
        assertThat(server.reportedParameters()).containsEntry("server_version", "16.0");
    }

    @Test
    void queryWaitTimeoutFailsTheWaiterWhenTheClockSaysSo() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ofSeconds(10)));
        bed.acquire(pool);
        Future<ServerConnection> waiter = pool.acquire(bed.loop());

        bed.clock.advance(Duration.ofSeconds(9));
        assertThat(waiter.await(50)).as("still waiting after 9 s").isFalse();
        bed.clock.advance(Duration.ofSeconds(1));

        PgException error = (PgException) FakePoolBed.failureOf(waiter);
        assertThat(error.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        assertThat(error.getMessage()).startsWith("query_wait_timeout: no server connection in pool app/app");
        // Counted and dequeued on the waiter's loop just after its promise failed.
        FakePoolBed.await("the timeout is counted", () -> pool.counters().waitTimeouts() == 1);
        FakePoolBed.await("the waiter left the queue", () -> pool.stats().waiting() == 0);
    }

    @Test
    void aServedWaiterDisarmsItsTimer() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ofSeconds(10)));
        ServerConnection server = bed.acquire(pool);
        Future<ServerConnection> waiter = pool.acquire(bed.loop());
        assertThat(bed.clock.pendingTimers()).isEqualTo(1);

        pool.release(server, false);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isSameAs(server);
        assertThat(bed.clock.pendingTimers()).isZero();
        bed.clock.advance(Duration.ofSeconds(20));
        assertThat(pool.counters().waitTimeouts()).isZero();
    }

    @Test
    void maxWaitingClientsRefusesTheNextClientAtOnceAndNotTheOnesAfterAWaiterLeft() throws Exception {
        PoolLimits limits = new PoolLimits(1, 0, 0, Duration.ofSeconds(5), Duration.ofSeconds(10), "", "",
                Duration.ZERO, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofSeconds(15), 2);
        Pool pool = bed.pool(limits);
        ServerConnection server = bed.acquire(pool);
        Future<ServerConnection> first = pool.acquire(bed.loop());
        Future<ServerConnection> second = pool.acquire(bed.loop());
        long waitsBefore = pool.counters().waits();

        Future<ServerConnection> third = pool.acquire(bed.loop());

        assertThat(third.isDone()).as("refused at once, no timer needed").isTrue();
        PgException error = (PgException) third.cause();
        assertThat(error.sqlState()).isEqualTo(SqlState.TOO_MANY_CONNECTIONS);
        assertThat(error.getMessage())
                .isEqualTo("pool app/app has 2 clients waiting (max_waiting_clients); try again later");
        assertThat(pool.counters().queueFullRefusals()).isEqualTo(1);
        assertThat(pool.counters().waits()).as("a refused client never waited").isEqualTo(waitsBefore);
        assertThat(first.isDone() || second.isDone()).isFalse();

        pool.release(server, false);
        assertThat(first.get(5, TimeUnit.SECONDS)).isSameAs(server);
        Future<ServerConnection> fourth = pool.acquire(bed.loop());
        assertThat(fourth.isDone()).as("one waiter left the queue: there is room again").isFalse();
        assertThat(pool.stats().waiting()).isEqualTo(2);
    }

    @Test
    void closingThePoolAnswersItsWaitersAndEndsItsBackends() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ZERO));
        bed.acquire(pool);
        Future<ServerConnection> waiter = pool.acquire(bed.loop());

        List<Future<Void>> closing = pool.close();

        PgException error = (PgException) FakePoolBed.failureOf(waiter);
        assertThat(error.sqlState()).isEqualTo(SqlState.ADMIN_SHUTDOWN);
        closing.forEach(f -> assertThat(f.awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue());
        FakePoolBed.await("the backend saw its session end", () -> bed.backend.open() == 0);
        PgException refused = (PgException) FakePoolBed.failureOf(pool.acquire(bed.loop()));
        assertThat(refused.getMessage()).isEqualTo("pool app/app is closed");
    }

    @Test
    void aFailedConnectFailsTheClientsOfAPoolThatNeverLoggedIn() throws Exception {
        Pool pool = bed.pool("app", FakePoolBed.limits(1, Duration.ZERO), FakeConnector.unreachable(),
                ConnectionBudget.unlimited("database app"));

        PgException error = (PgException) FakePoolBed.failureOf(pool.acquire(bed.loop()));

        assertThat(error.sqlState()).isEqualTo(SqlState.CONNECTION_FAILURE);
        assertThat(error.getMessage()).isEqualTo("pgmux could not connect to the database server");
        assertThat(pool.counters().connectFailures()).isEqualTo(1);
        assertThat(pool.stats().waiting()).isZero();
        // Within server_login_retry nothing is tried again: the next client gets the last error at once.
        PgException again = (PgException) FakePoolBed.failureOf(pool.acquire(bed.loop()));
        assertThat(again.getMessage()).contains("server login has been failing");
        assertThat(pool.counters().connectAttempts()).isEqualTo(1);
    }

    @Test
    void aRefusedLoginReachesTheClientWithPostgresqlsError() throws Exception {
        bed.backend.refuseLogins(true);
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ZERO));

        PgException error = (PgException) FakePoolBed.failureOf(pool.acquire(bed.loop()));

        assertThat(error.sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(error.getMessage()).isEqualTo("password authentication failed");
        FakePoolBed.await("the refused session is closed", () -> bed.backend.open() == 0);
    }
}
