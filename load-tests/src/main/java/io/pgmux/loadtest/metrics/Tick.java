// One interval of the timeline: what happened during it and what the samplers saw.
package io.pgmux.loadtest.metrics;

import java.util.Map;

/**
 * One timeline interval (normally a second) of one target's run.
 *
 * @param endSeconds  seconds from the start of the run to the end of this interval
 * @param started     functions launched in the interval
 * @param completed   functions that finished successfully in the interval
 * @param failed      functions that failed in the interval
 * @param clients     functions in flight (connected or connecting) at the end of the interval
 * @param transaction latency of the transactions that finished in the interval
 * @param connect     latency of the connects that finished in the interval
 * @param samples     the highest value each sampler saw in the interval: {@code backends}, probe metrics
 */
public record Tick(double endSeconds, long started, long completed, long failed, long clients,
                   LatencySummary transaction, LatencySummary connect, Map<String, Double> samples) {
    public Tick {
        samples = Map.copyOf(samples);
    }
}
