// One tenant of a fairly queued pool: its waiting clients, the backends it holds, and what happened to its waits.
package io.pgmux.pool;

import java.util.ArrayDeque;

/**
 * The clients of one tenant waiting in a pool, first come, first served among themselves, and its figures. Guarded
 * by the owning {@link PoolLedger}'s monitor, except {@link #waitLatency}, which is safe from any thread.
 */
final class TenantLane {
    final String name;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Backends this tenant's clients hold now (pool.tenant_max_active caps it). */
    int active;
    /** Clients still to be served in this tenant's current turn. */
    int credit;
    /** Whether the lane is in the round-robin ring (it has waiters). */
    boolean inTurns;
    long admitted;
    long shedTenantQueueFull;
    long shedPredicted;
    long shedDeadline;
    long timedOut;
    final LatencyBuckets waitLatency = new LatencyBuckets();

    TenantLane(String name) {
        this.name = name;
    }
}
