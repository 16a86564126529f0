// Pools of a scripted fake backend on in-process event loops, with a clock the test moves.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Everything a pool unit test needs and nothing of PostgreSQL: a {@link FakeBackend}, a {@link FakeConnector} to it,
 * a {@link ManualClock}, and four event loops for clients and backends alike. Pools made here are closed with it.
 */
final class FakePoolBed implements AutoCloseable {
    static final BackendTarget TARGET = new BackendTarget("fake", 5432, "app", "app", null, Map.of());

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, LocalIoHandler.newFactory());
    final FakeBackend backend = new FakeBackend(group);
    final FakeConnector connector = new FakeConnector(backend.address());
    final ManualClock clock = new ManualClock();
    private final List<Pool> pools = new ArrayList<>();

    /** Limits with the given size and wait timeout, no reserve or minimum, and long lifetimes. */
    static PoolLimits limits(int maxSize, Duration queryWaitTimeout) {
        return new PoolLimits(maxSize, queryWaitTimeout, "DISCARD ALL");
    }

    /** A pool of its own (no shared budget) for user {@code app} of database {@code app}. */
    Pool pool(PoolLimits limits) {
        return pool("app", limits, connector, ConnectionBudget.unlimited("database app"));
    }

    /** A pool for {@code user} counting against {@code databaseBudget}. */
    Pool pool(String user, PoolLimits limits, BackendConnector through, ConnectionBudget databaseBudget) {
        Pool pool = new Pool(new PoolKey("app", user), TARGET, limits, through, databaseBudget,
                ConnectionBudget.unlimited("user " + user), () -> null, clock);
        pools.add(pool);
        return pool;
    }

    /** Closes {@code pool} with the bed. */
    void adopt(Pool pool) {
        pools.add(pool);
    }

    EventLoop loop() {
        return group.next();
    }

    /** Acquires on one of the loops and waits for the backend; fails the test after 5 s. */
    ServerConnection acquire(Pool pool) throws Exception {
        return pool.acquire(loop()).get(5, TimeUnit.SECONDS);
    }

    /** Waits for {@code future} to fail and returns the cause; fails the test if it succeeds or takes 5 s. */
    static Throwable failureOf(Future<?> future) throws InterruptedException {
        assertThat(future.await(5, TimeUnit.SECONDS)).as("future completes").isTrue();
        assertThat(future.isSuccess()).as("future fails").isFalse();
        return future.cause();
    }

    /**
     * Polls {@code condition} until it holds, for what happens on the event loops (a socket closing, a login);
     * fails the test with {@code what} after 5 s. Never used to let time pass: the clock does that.
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        pools.forEach(pool -> pool.close().forEach(Future::awaitUninterruptibly));
        backend.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
