// The periodic task of a pool registry: expires old and unused backends and opens the ones pools are missing.
package io.pgmux.pool;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled task per {@link PoolRegistry} instead of a timer per backend: each tick calls
 * {@link Pool#maintain(long)} on every pool, which closes backends past server_lifetime or server_idle_timeout,
 * re-opens up to min_pool_size, retries after server_login_retry and opens reserve backends for clients that waited
 * reserve_pool_timeout. A tick only takes short pool locks and starts asynchronous connects and closes, so it may run
 * on an event loop without blocking it.
 */
final class Janitor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Janitor.class);
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Collection<Pool> pools;
    private final PoolClock clock;
    private final long periodNanos;
    private ScheduledFuture<?> task;

    /** @param pools a live view of the registry's pools */
    Janitor(Collection<Pool> pools, long periodNanos, PoolClock clock) {
        this.pools = pools;
        this.clock = clock;
        this.periodNanos = periodNanos;
    }

    /**
     * Half the shortest time the janitor enforces, between 20 ms and 1 s: each deadline is then met within half its
     * value (and within a second for the long ones), at a negligible cost per tick.
     */
    static long periodFor(PoolLimits limits) {
        Stream<Duration> enforced = Stream.of(limits.serverLifetime(), limits.serverIdleTimeout(), limits.loginRetry());
        if (limits.reserveSize() > 0) {
            enforced = Stream.concat(enforced, Stream.of(limits.reserveTimeout()));
        }
        long shortest = enforced.mapToLong(Duration::toNanos).filter(n -> n > 0).min().orElse(MAX_PERIOD_NANOS);
        return Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, shortest / 2));
    }

    synchronized void start(ScheduledExecutorService executor) {
        if (task == null) {
            task = executor.scheduleAtFixedRate(this, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    @Override
    public void run() {
        long now = clock.nanoTime();
        for (Pool pool : pools) {
            try {
                pool.maintain(now);
            } catch (RuntimeException e) {
                // One broken pool must not stop the maintenance of the others, nor cancel the periodic task.
                log.warn("pool {}: maintenance failed", pool.key(), e);
            }
        }
    }
}
