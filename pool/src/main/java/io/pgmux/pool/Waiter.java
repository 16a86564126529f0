// A client queued for a backend: where to complete it, since when it waits, and its query_wait_timeout timer.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One queued acquisition. The promise completes exactly once, whoever gets there first (a released backend, the
 * timeout, a cancel, pool shutdown); the losers see {@code trySuccess}/{@code tryFailure} return false, which is what
 * keeps a waiter from being served twice or served after it gave up.
 */
final class Waiter {
    final EventLoop loop;
    final Promise<ServerConnection> promise;
    /** When the acquisition started, in {@link System#nanoTime()} units. */
    final long sinceNanos;
    private volatile ScheduledFuture<?> timeout;

    Waiter(EventLoop loop, Promise<ServerConnection> promise, long sinceNanos) {
        this.loop = loop;
        this.promise = promise;
        this.sinceNanos = sinceNanos;
    }

    void timeout(ScheduledFuture<?> timer) {
        this.timeout = timer;
    }

    void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
