// A client queued for a backend: where to complete it, since when it waits, and its query_wait_timeout timer.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;

/**
 * One queued acquisition. The promise completes exactly once, whoever gets there first (a released backend, the
 * timeout, a cancel, pool shutdown); the losers see {@code trySuccess}/{@code tryFailure} return false, which is what
 * keeps a waiter from being served twice or served after it gave up.
 */
final class Waiter {
    final EventLoop loop;
    final Promise<ServerConnection> promise;
    /** When the acquisition started, in {@link PoolClock#nanoTime()} units. */
    final long sinceNanos;
    /** The client's tenant and deadline. */
    final Admission admission;
    /** The tenant's lane when the pool queues fairly, else null; guarded by the ledger's monitor. */
    TenantLane lane;
    private volatile PoolClock.Timer timeout;

    Waiter(EventLoop loop, Promise<ServerConnection> promise, long sinceNanos) {
        this(loop, promise, sinceNanos, Admission.NONE);
    }

    Waiter(EventLoop loop, Promise<ServerConnection> promise, long sinceNanos, Admission admission) {
        this.loop = loop;
        this.promise = promise;
        this.sinceNanos = sinceNanos;
        this.admission = admission;
    }

    void timeout(PoolClock.Timer timer) {
        this.timeout = timer;
    }

    void cancelTimeout() {
        PoolClock.Timer t = timeout;
        if (t != null) {
            t.cancel();
        }
    }
}
