package io.pgmux.server.pinning;

import io.pgmux.server.metrics.PinFigures;
import java.util.Arrays;
import java.util.List;

/** Shows the package-private {@link PinCounters} to the metrics and the admin console, by reason tag. */
public final class PinFiguresView implements PinFigures {
    private static final List<String> REASONS = Arrays.stream(PinReason.values()).map(PinReason::tag).toList();

    private final PinCounters counters;

    public PinFiguresView(PinCounters counters) {
        this.counters = counters;
    }

    @Override
    public int pinnedNow() {
        return counters.pinnedNow();
    }

    @Override
    public List<String> reasons() {
        return REASONS;
    }

    @Override
    public long pins(String reason) {
        for (PinReason r : PinReason.values()) {
            if (r.tag().equals(reason)) {
                return counters.pins(r);
            }
        }
        return 0;
    }

    @Override
    public long unpins() {
        return counters.unpins();
    }

    @Override
    public long pinnedNanosTotal() {
        return counters.pinnedNanosTotal();
    }
}
