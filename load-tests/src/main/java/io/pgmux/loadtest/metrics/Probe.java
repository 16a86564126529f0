// A source of numbers sampled during a run, e.g. pgmux's pool wait metrics.
package io.pgmux.loadtest.metrics;

import java.util.Map;

/** Returns the current value of each series it knows; an empty map when the source is unavailable. */
@FunctionalInterface
public interface Probe {
    /** Must not throw and should return within a few hundred milliseconds. */
    Map<String, Double> sample();
}
