// How often a pool rode out a failover hold, and how long each lasted.
package io.pgmux.pool;

import java.util.concurrent.atomic.LongAdder;

/**
 * Failover holds of one pool that ended with a backend logged in again (a restart or failover ridden out), and how
 * long each lasted, from the first failed login to the first successful one. Holds that ran out are the pool's
 * connect failures. Adders only: recorded once per failover, read at scrape time.
 */
public final class FailoverCounters {
    private final LongAdder failovers = new LongAdder();
    private final LatencyBuckets holds = new LatencyBuckets();

    void recovered(long heldNanos) {
        failovers.increment();
        holds.record(heldNanos);
    }

    /** Holds that ended with a backend logged in again. */
    public long failovers() {
        return failovers.sum();
    }

    /** How long each of those holds lasted. */
    public LatencyBuckets holds() {
        return holds;
    }
}
