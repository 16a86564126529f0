// Percentiles of one latency distribution, in milliseconds, as reported in the summary and the JSON.
package io.pgmux.loadtest.metrics;

import org.HdrHistogram.Histogram;

/** Count, mean and percentiles of a histogram recorded in microseconds; NaN where there were no samples. */
public record LatencySummary(long count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    /** Summarizes {@code micros}, a histogram of microsecond values. */
    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(micros.getTotalCount(), micros.getMean() / 1000.0,
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(95) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0);
    }
}
