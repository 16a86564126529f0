// A pool clock that moves only when a test says so.
package io.pgmux.pool;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A {@link PoolClock} for tests: time stands still until {@link #advance}, which runs every timer that became due
 * on the executor it was armed for, as the real clock would. Thread-safe.
 */
final class ManualClock implements PoolClock {
    private long now = 1_000_000_000L;
    private final List<Armed> armed = new ArrayList<>();

    private static final class Armed {
        final long due;
        final EventExecutor executor;
        final Runnable task;
        volatile boolean cancelled;

        Armed(long due, EventExecutor executor, Runnable task) {
            this.due = due;
            this.executor = executor;
            this.task = task;
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer schedule(EventExecutor executor, Runnable task, long delayNanos) {
        Armed timer = new Armed(now + delayNanos, executor, task);
        armed.add(timer);
        return () -> timer.cancelled = true;
    }

    /** Timers armed and neither run nor cancelled. */
    synchronized int pendingTimers() {
        return (int) armed.stream().filter(t -> !t.cancelled).count();
    }

    /** Moves the time on and runs the timers that fell due, each on its executor. */
    void advance(Duration by) {
        List<Armed> due = new ArrayList<>();
        synchronized (this) {
            now += by.toNanos();
            for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
                Armed timer = it.next();
                if (timer.due - now <= 0) {
                    it.remove();
                    due.add(timer);
                }
            }
        }
        for (Armed timer : due) {
            if (!timer.cancelled) {
                timer.executor.execute(timer.task);
            }
        }
    }
}
