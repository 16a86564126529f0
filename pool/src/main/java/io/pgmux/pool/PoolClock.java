// The time source of the pools: monotonic nanoseconds and the timers of waiting clients.
package io.pgmux.pool;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@link Pool} reads the time and arms the timers of its waiters (query_wait_timeout). Every deadline the
 * pool enforces (wait timeout, reserve_pool_timeout, server_lifetime, server_idle_timeout, server_login_retry)
 * is measured with {@link #nanoTime()}, so a test can drive them all by moving one clock instead of sleeping.
 * {@link #SYSTEM} is the clock of production: {@link System#nanoTime()} and the event loops' own timers.
 *
 * <p>Implementations must be thread-safe: every event loop reads the clock.
 */
public interface PoolClock {

    /** The real clock. */
    PoolClock SYSTEM = new PoolClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Timer schedule(EventExecutor executor, Runnable task, long delayNanos) {
            ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    };

    /** Monotonic nanoseconds, comparable only with other values of the same clock (as {@link System#nanoTime()}). */
    long nanoTime();

    /** Runs {@code task} on {@code executor} once {@code delayNanos} of this clock have passed. */
    Timer schedule(EventExecutor executor, Runnable task, long delayNanos);

    /** A task armed by {@link #schedule}. */
    @FunctionalInterface
    interface Timer {
        /** Stops the task if it has not run yet; harmless after it ran. */
        void cancel();
    }
}
