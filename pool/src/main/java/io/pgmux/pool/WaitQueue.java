// The queue of clients waiting for a backend of one pool: first come, first served, or fair between tenants.
package io.pgmux.pool;

import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * FIFO of {@link Waiter}s. Not thread-safe: the owning {@link Pool} guards it with its monitor. A waiter leaves the
 * queue exactly once (polled to be served, removed after a timeout or cancel, or drained at shutdown); completing its
 * promise happens outside the lock, so a polled waiter whose promise is already done is simply skipped.
 *
 * <p>With {@link #fair} set, the waiters live in {@link TenantQueues} instead (pool.tenant_queueing: fair); the FIFO
 * deque then stays empty.
 */
final class WaitQueue {
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Non-null when the pool queues fairly between tenants. */
    private TenantQueues fair;

    /** Switches between FIFO ({@code null}) and fair queueing; waiting clients keep waiting, in the new order. */
    void fair(TenantQueues queues) {
        List<Waiter> moving = drain();
        fair = queues;
        for (Waiter waiter : moving) {
            waiter.lane = queues == null ? null : queues.lane(waiter.admission.tenant());
            add(waiter);
        }
    }

    TenantQueues fair() {
        return fair;
    }

    void add(Waiter waiter) {
        if (fair != null) {
            fair.add(waiter);
        } else {
            waiters.addLast(waiter);
        }
    }

    /** The waiter to serve next, removed; null when empty (or, when fair, every waiting tenant is at its cap). */
    Waiter poll() {
        return fair != null ? fair.poll() : waiters.pollFirst();
    }

    /** The waiter to serve next, kept; null when empty. */
    Waiter peek() {
        return fair != null ? fair.peek() : waiters.peekFirst();
    }

    /** Removes one waiter; O(n), which is fine for timeouts and cancels, the rare way out of the queue. */
    boolean remove(Waiter waiter) {
        return fair != null ? fair.remove(waiter) : waiters.remove(waiter);
    }

    int size() {
        return fair != null ? fair.size() : waiters.size();
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** When the longest-waiting waiter started waiting, or {@code fallback} when the queue is empty. */
    long oldestSince(long fallback) {
        if (fair != null) {
            return fair.oldestSince(fallback);
        }
        Waiter first = waiters.peekFirst();
        return first == null ? fallback : first.sinceNanos;
    }

    /** Roughly how many clients are served before a client of {@code lane} that joins now, itself included. */
    int positionOfNewcomer(TenantLane lane) {
        return fair != null && lane != null ? fair.predictedPosition(lane, lane.waiters.size() + 1) : size() + 1;
    }

    /** 1-based position of the waiter holding {@code acquiring}, 0 when none does; an O(n) scan. */
    int position(Future<?> acquiring) {
        if (fair != null) {
            return positionInLane(acquiring);
        }
        int position = 0;
        for (Waiter waiter : waiters) {
            position++;
            if (waiter.promise == acquiring) {
                return position;
            }
        }
        return 0;
    }

    private int positionInLane(Future<?> acquiring) {
        for (TenantLane lane : fair.lanes()) {
            int place = 0;
            for (Waiter waiter : lane.waiters) {
                place++;
                if (waiter.promise == acquiring) {
                    return fair.predictedPosition(lane, place);
                }
            }
        }
        return 0;
    }

    /** Removes and returns every waiter, oldest first (by turn, when fair). */
    List<Waiter> drain() {
        if (fair != null) {
            return fair.drain();
        }
        List<Waiter> all = new ArrayList<>(waiters);
        waiters.clear();
        return all;
    }
}
