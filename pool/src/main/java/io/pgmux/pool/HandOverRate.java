// How fast backends come back to a pool while clients wait: the basis of a deadline's predicted wait.
package io.pgmux.pool;

/**
 * An exponentially weighted mean of the time between two backends coming back while clients wait. Only intervals
 * measured with the queue non-empty count: while nobody waits, backends come back as slowly as clients ask, which
 * says nothing about how fast a queue drains. Guarded by the owning {@link PoolLedger}'s monitor; no allocation.
 */
final class HandOverRate {
    /** Each new interval moves the mean by 1/8 of the difference, as TCP's smoothed round-trip time does. */
    private static final int SMOOTHING_SHIFT = 3;

    private long lastNanos;
    private boolean measuring;
    private long meanIntervalNanos;

    /** A backend came back at {@code now}; {@code waiting} says whether clients were queued for it. */
    void backendReturned(long now, boolean waiting) {
        if (!waiting) {
            measuring = false;
            return;
        }
        if (measuring) {
            long interval = Math.max(0, now - lastNanos);
            meanIntervalNanos = meanIntervalNanos == 0 ? interval
                    : meanIntervalNanos + ((interval - meanIntervalNanos) >> SMOOTHING_SHIFT);
        }
        lastNanos = now;
        measuring = true;
    }

    /** The predicted wait of the {@code position}-th client in line, in nanoseconds; 0 before anything was measured. */
    long predictedWaitNanos(int position) {
        return meanIntervalNanos * position;
    }

    boolean measured() {
        return meanIntervalNanos > 0;
    }
}
