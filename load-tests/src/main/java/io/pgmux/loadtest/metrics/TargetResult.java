// Everything measured for one target in one run: the summary, the errors and the timeline.
package io.pgmux.loadtest.metrics;

import java.util.List;
import java.util.Map;

/**
 * The outcome of running a scenario against one target.
 *
 * @param launched          functions started
 * @param succeeded         functions whose transaction completed
 * @param failed            functions that failed (connect or transaction)
 * @param unfinished        functions still running when the drain timeout ended the run
 * @param errors            failures by SQLSTATE (or client-side key such as {@code timeout}), by phase
 * @param committedRows     rows the run left in the events table (writing scenarios), or -1 if not counted
 * @param peakClients       the most functions in flight at once
 * @param peakSamples       the highest value of each sampled series over the run (e.g. {@code backends})
 * @param throughputPerSec  successful functions per second over the arrival window plus the drain
 */
public record TargetResult(String target, String address, String client, String runId, double durationSeconds,
                           long launched, long succeeded, long failed, long unfinished,
                           Map<String, Map<String, Long>> errors, LatencySummary connect,
                           LatencySummary transaction, double throughputPerSec, double peakThroughputPerSec,
                           long peakClients, Map<String, Double> peakSamples, long committedRows,
                           List<String> notes, List<Tick> timeline) {
    public TargetResult {
        errors = Map.copyOf(errors);
        peakSamples = Map.copyOf(peakSamples);
        notes = List.copyOf(notes);
        timeline = List.copyOf(timeline);
    }

    /** The peak of a sampled series, or NaN if it was never sampled. */
    public double peak(String series) {
        return peakSamples.getOrDefault(series, Double.NaN);
    }

    /** All failures with this key, whatever the phase. */
    public long errorCount(String key) {
        return errors.values().stream().mapToLong(byKey -> byKey.getOrDefault(key, 0L)).sum();
    }
}
