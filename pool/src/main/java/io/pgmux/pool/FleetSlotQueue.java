// Decides which backend openings of one database may try for a fleet slot now, once the slots are all taken.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A backend that tries for a fleet slot exists before it knows whether it gets one, so every try is, for one round
 * trip, a connection PostgreSQL counts above the budget. So a replica tries for one database's slots one opening at
 * a time: the others wait here, in order. While tries succeed the next one starts at once (a pool fills at one
 * login after another); once a try finds no free slot, the line is exhausted: the oldest waiting opening tries again
 * every {@value #RETRY_MILLIS} ms or so (jittered), after a success too, until nothing waits. A replica thus adds at
 * most one connection per database above the budget, however many clients wait, and replicas that wait at the same
 * time take the slots that come free in turns (at the same pace) rather than the first to try taking them all.
 *
 * <p>An opening that waits here past its deadline fails (the caller's 53300); one whose promise is already done (the
 * pool gave up on it) is skipped. Thread-safe: the openings of every event loop meet here; tries start outside the
 * lock, since a connect may complete on the calling thread.
 */
final class FleetSlotQueue {
    static final long RETRY_MILLIS = 250;

    /** One backend opening waiting for its turn to try for a slot. */
    record Opening(EventLoop loop, Promise<ServerConnection> promise, long deadlineNanos,
                   Consumer<Opening> attempt, Consumer<Opening> expire) {
    }

    private final Deque<Opening> waiting = new ArrayDeque<>();
    /** An opening is trying now. */
    private boolean trying;
    /** The last try found no free slot: the next waits for the retry timer. */
    private boolean exhausted;
    /** A retry of the oldest waiting opening is scheduled. */
    private boolean retryScheduled;

    /**
     * A new opening tries at once when nothing tries, nothing waits and slots are not exhausted (the common case,
     * which schedules nothing); otherwise it joins the line, and the line is never left without a try or retry.
     */
    void submit(Opening opening) {
        Opening next = opening;
        synchronized (this) {
            if (trying || exhausted || !waiting.isEmpty()) {
                enqueue(opening, false);
                next = null;
                if (!trying) {
                    if (exhausted) {
                        scheduleRetry(opening.loop()); // a no-op when one is due
                    } else {
                        next = nextTry();
                    }
                }
            } else {
                trying = true;
            }
        }
        start(next);
    }

    /**
     * The try got its slot. The next waiting opening tries at once, unless the line is exhausted: then it keeps the
     * retry's pace until nothing waits, so that replicas whose lines wait at the same time share the slots that come
     * free rather than the first to try taking them all.
     */
    void granted(EventLoop loop) {
        Opening next = null;
        synchronized (this) {
            if (exhausted && !waiting.isEmpty()) {
                trying = false;
                scheduleRetry(loop);
            } else {
                exhausted = false;
                next = nextTry();
            }
        }
        start(next);
    }

    /** The try found no free slot: that opening waits first in line for the retry. */
    void refused(Opening opening) {
        synchronized (this) {
            trying = false;
            exhausted = true;
            enqueue(opening, true);
            scheduleRetry(opening.loop());
        }
    }

    /** The try failed otherwise (no connection, or its own deadline passed): the line moves on. */
    void failed(EventLoop loop) {
        Opening next = null;
        synchronized (this) {
            trying = false;
            if (waiting.isEmpty()) {
                exhausted = false; // nobody waits: the next opening finds out afresh
            } else if (exhausted) {
                scheduleRetry(loop);
            } else {
                next = nextTry();
            }
        }
        start(next);
    }

    private void retry() {
        Opening next;
        synchronized (this) {
            retryScheduled = false;
            if (trying) {
                return;
            }
            next = nextTry();
            if (next == null) {
                exhausted = false; // nobody waits: the next opening finds out afresh
            }
        }
        start(next);
    }

    /** Under the lock: the oldest live waiting opening, marked as trying; or null, and nothing tries. */
    private Opening nextTry() {
        Opening next = waiting.pollFirst();
        while (next != null && next.promise().isDone()) {
            next = waiting.pollFirst();
        }
        trying = next != null;
        return next;
    }

    private static void start(Opening next) {
        if (next != null) {
            next.attempt().accept(next);
        }
    }

    private void enqueue(Opening opening, boolean first) {
        if (first) {
            waiting.addFirst(opening);
        } else {
            waiting.addLast(opening);
        }
        opening.loop().schedule(() -> expire(opening), remainingNanos(opening), TimeUnit.NANOSECONDS);
    }

    private void scheduleRetry(EventLoop loop) {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        long delay = RETRY_MILLIS / 2 + ThreadLocalRandom.current().nextLong(RETRY_MILLIS);
        loop.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
    }

    private void expire(Opening opening) {
        boolean removed;
        synchronized (this) {
            removed = removeIdentical(opening);
        }
        if (removed) {
            opening.expire().accept(opening);
        }
    }

    private boolean removeIdentical(Opening opening) {
        for (Iterator<Opening> it = waiting.iterator(); it.hasNext(); ) {
            if (it.next() == opening) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private static long remainingNanos(Opening opening) {
        return Math.max(0, opening.deadlineNanos() - System.nanoTime());
    }

    /** Openings waiting now (for tests and SHOW). */
    synchronized int waiting() {
        return waiting.size();
    }
}
