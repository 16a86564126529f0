package io.pgmux.server.pinning;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide pinning figures for operators: pins by reason, unpins, backends pinned now and the time they
 * stayed pinned. Plain adders, bumped once per pin or unpin; the metrics endpoint reads them.
 */
public final class PinCounters {
    private final Map<PinReason, LongAdder> pinsByReason = new EnumMap<>(PinReason.class);
    private final LongAdder unpins = new LongAdder();
    private final AtomicInteger pinnedNow = new AtomicInteger();
    private final LongAdder pinnedNanos = new LongAdder();

    public PinCounters() {
        for (PinReason reason : PinReason.values()) {
            pinsByReason.put(reason, new LongAdder());
        }
    }

    /** A client's backend became pinned, first by {@code reason}. */
    void pinned(PinReason reason) {
        pinsByReason.get(reason).increment();
        pinnedNow.incrementAndGet();
    }

    /** A pin ended, because its state was undone ({@code undone}) or its client left, after {@code nanos}. */
    void unpinned(long nanos, boolean undone) {
        pinnedNow.decrementAndGet();
        pinnedNanos.add(nanos);
        if (undone) {
            unpins.increment();
        }
    }

    public long pins(PinReason reason) {
        return pinsByReason.get(reason).sum();
    }

    public long unpins() {
        return unpins.sum();
    }

    public int pinnedNow() {
        return pinnedNow.get();
    }

    long pinnedNanosTotal() {
        return pinnedNanos.sum();
    }
}
