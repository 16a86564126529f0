// What LISTEN fan-out did, for /metrics and the admin console.
package io.pgmux.server.notify;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the fan-out of one server, bumped by hubs and inboxes on their loops and read by scrapes: adders, no
 * lock. Notifications are counted once as received from PostgreSQL and once per client they were written to or
 * dropped for.
 */
public final class NotifyFigures {
    private final LongAdder received = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder listenersLost = new LongAdder();
    private final AtomicInteger listeningClients = new AtomicInteger();

    void countReceived() {
        received.increment();
    }

    void countDelivered(int count) {
        delivered.add(count);
    }

    void countDropped(int count) {
        dropped.add(count);
    }

    void countLost() {
        listenersLost.increment();
    }

    void listening(boolean started) {
        if (started) {
            listeningClients.incrementAndGet();
        } else {
            listeningClients.decrementAndGet();
        }
    }

    /** Notifications the listening connections received from PostgreSQL. */
    public long received() {
        return received.sum();
    }

    /** Notifications written to clients. */
    public long delivered() {
        return delivered.sum();
    }

    /** Notifications discarded because a client exceeded pool.max_queued_notifications (it was disconnected). */
    public long dropped() {
        return dropped.sum();
    }

    /** Listening connections lost and opened again. */
    public long listenersLost() {
        return listenersLost.sum();
    }

    /** Clients listening on at least one channel now. */
    public int listeningClients() {
        return listeningClients.get();
    }
}
