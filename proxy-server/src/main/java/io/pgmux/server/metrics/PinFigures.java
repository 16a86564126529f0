// Read access to the server-wide pinning counters, for the metrics and the admin console.
package io.pgmux.server.metrics;

import java.util.List;

/** Server-wide pinning figures; all readers are for scrapes and SHOW commands, never the hot path. */
public interface PinFigures {
    /** Backends pinned to their client now. */
    int pinnedNow();

    /** The pin reason tags, in a stable order (e.g. {@code listen}, {@code sql_prepare}). */
    List<String> reasons();

    /** Pins that started for {@code reason} since start. */
    long pins(String reason);

    /** Pins that ended because their session state was undone. */
    long unpins();

    /** Total time backends stayed pinned, over the pins that ended. */
    long pinnedNanosTotal();

    PinFigures NONE = new PinFigures() {
        @Override
        public int pinnedNow() {
            return 0;
        }

        @Override
        public List<String> reasons() {
            return List.of();
        }

        @Override
        public long pins(String reason) {
            return 0;
        }

        @Override
        public long unpins() {
            return 0;
        }

        @Override
        public long pinnedNanosTotal() {
            return 0;
        }
    };
}
