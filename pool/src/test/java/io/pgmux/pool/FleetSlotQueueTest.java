package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.protocol.PgException;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Once the fleet budget is exhausted, a replica's openings of one database wait in line and one at a time tries for
 * a slot, so PostgreSQL sees at most one connection above the budget from this replica however many clients wait;
 * a slot that comes free goes to the oldest waiting opening, and a wait longer than server_connect_timeout fails
 * with 53300. The retries run on real event-loop timers (about 250 ms), so these tests take a second or two.
 */
@DetectLeaks
class FleetSlotQueueTest {
    private static final int BUDGET = 2;
    private final FakePoolBed bed = new FakePoolBed();

    @AfterEach
    void close() {
        bed.close();
    }

    private Pool pool(Duration connectTimeout) {
        bed.backend.fleetSlots(BUDGET);
        FleetBudgetConnector connector = new FleetBudgetConnector(bed.connector, () -> BUDGET, connectTimeout);
        return bed.pool("app", FakePoolBed.limits(8, Duration.ofSeconds(30)), connector,
                ConnectionBudget.unlimited("database app"));
    }

    @Test
    void oneOpeningAtATimeTriesWhileTheBudgetIsExhausted() throws Exception {
        Pool pool = pool(Duration.ofSeconds(20));
        ServerConnection first = bed.acquire(pool);
        ServerConnection second = bed.acquire(pool);
        List<Future<ServerConnection>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waiting.add(pool.acquire(bed.loop()));
        }
        int loginsBefore = bed.backend.logins();
        FakePoolBed.await("several retries", () -> bed.backend.logins() >= loginsBefore + 4);
        assertThat(waiting).noneMatch(Future::isDone);
        assertThat(bed.backend.peak()).as("sessions at once: two slot holders and one opening trying")
                .isLessThanOrEqualTo(BUDGET + 1);

        first.close(); // its slot comes free, as when server_lifetime closes a backend
        FakePoolBed.await("a waiting client served", () -> waiting.stream().filter(Future::isDone).count() == 1);
        assertThat(waiting.stream().filter(Future::isSuccess).count()).isEqualTo(1);
        assertThat(bed.backend.peak()).isLessThanOrEqualTo(BUDGET + 1);
        second.close();
    }

    @Test
    void aWaitLongerThanTheConnectTimeoutFailsWithTooManyConnections() throws Exception {
        bed.backend.fleetSlots(BUDGET);
        FleetBudgetConnector connector = new FleetBudgetConnector(bed.connector, () -> BUDGET, Duration.ofMillis(600));
        Pool pool = bed.pool(FakePoolBed.limits(8, Duration.ofSeconds(30)));
        List<Future<ServerConnection>> holders = List.of(connector.connect(pool, FakePoolBed.TARGET, bed.loop()),
                connector.connect(pool, FakePoolBed.TARGET, bed.loop()));
        Future<ServerConnection> third = connector.connect(pool, FakePoolBed.TARGET, bed.loop());
        Future<ServerConnection> fourth = connector.connect(pool, FakePoolBed.TARGET, bed.loop());
        for (Future<ServerConnection> late : List.of(third, fourth)) {
            Throwable cause = FakePoolBed.failureOf(late);
            assertThat(cause).isInstanceOf(PgException.class).hasMessageContaining("fleet_max_db_connections");
            assertThat(((PgException) cause).sqlState()).isEqualTo("53300");
        }
        assertThat(bed.backend.peak()).isLessThanOrEqualTo(BUDGET + 1);
        for (Future<ServerConnection> holder : holders) {
            holder.get(5, java.util.concurrent.TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aTryThatFailsOtherwiseDoesNotStrandTheNextOpening() throws Exception {
        io.netty.channel.DefaultEventLoop loop = new io.netty.channel.DefaultEventLoop();
        try {
            FleetSlotQueue queue = new FleetSlotQueue();
            List<FleetSlotQueue.Opening> started = new java.util.concurrent.CopyOnWriteArrayList<>();
            FleetSlotQueue.Opening first = opening(loop, started);
            queue.submit(first);
            assertThat(started).containsExactly(first);
            queue.refused(first); // no free slot: it waits for the retry
            FakePoolBed.await("the retry", () -> started.size() == 2);
            queue.failed(loop); // this time the connection itself failed, and nothing else waits
            FleetSlotQueue.Opening second = opening(loop, started);
            queue.submit(second);
            assertThat(started).as("the next opening tries at once").endsWith(second);
        } finally {
            loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static FleetSlotQueue.Opening opening(io.netty.channel.EventLoop loop,
                                                  List<FleetSlotQueue.Opening> started) {
        return new FleetSlotQueue.Opening(loop, loop.newPromise(), System.nanoTime() + 10_000_000_000L,
                started::add, expired -> expired.promise().tryFailure(new IllegalStateException("expired")));
    }
}
