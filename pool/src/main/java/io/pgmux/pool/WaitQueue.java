// The first-come, first-served queue of clients waiting for a backend of one pool.
package io.pgmux.pool;

import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * FIFO of {@link Waiter}s. Not thread-safe: the owning {@link Pool} guards it with its monitor. A waiter leaves the
 * queue exactly once (polled to be served, removed after a timeout or cancel, or drained at shutdown); completing its
 * promise happens outside the lock, so a polled waiter whose promise is already done is simply skipped.
 */
final class WaitQueue {
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    void add(Waiter waiter) {
        waiters.addLast(waiter);
    }

    /** The longest-waiting waiter, removed; null when empty. */
    Waiter poll() {
        return waiters.pollFirst();
    }

    /** The longest-waiting waiter, kept; null when empty. */
    Waiter peek() {
        return waiters.peekFirst();
    }

    /** Removes one waiter; O(n), which is fine for timeouts and cancels, the rare way out of the queue. */
    boolean remove(Waiter waiter) {
        return waiters.remove(waiter);
    }

    int size() {
        return waiters.size();
    }

    boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** When the longest-waiting waiter started waiting, or {@code fallback} when the queue is empty. */
    long oldestSince(long fallback) {
        Waiter first = waiters.peekFirst();
        return first == null ? fallback : first.sinceNanos;
    }

    /** 1-based position of the waiter holding {@code acquiring}, 0 when none does; an O(n) scan. */
    int position(Future<?> acquiring) {
        int position = 0;
        for (Waiter waiter : waiters) {
            position++;
            if (waiter.promise == acquiring) {
                return position;
            }
        }
        return 0;
    }

    /** Removes and returns every waiter, oldest first. */
    List<Waiter> drain() {
        List<Waiter> all = new ArrayList<>(waiters);
        waiters.clear();
        return all;
    }
}
