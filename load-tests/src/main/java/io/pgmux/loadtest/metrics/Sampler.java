// Samples backends and probes several times a second, keeping the peak per interval and over the whole run.
package io.pgmux.loadtest.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls on its own thread, because a count over JDBC or an HTTP scrape must not delay the arrival schedule.
 * Peaks rather than last values are kept, since a storm's backends can spike between two timeline ticks.
 */
public final class Sampler implements AutoCloseable {
    /** The series name under which the backend count is recorded. */
    public static final String BACKENDS = "backends";

    private final BackendCounter backends;
    private final List<Probe> probes;
    private final ScheduledExecutorService thread;
    private final Map<String, Double> intervalPeak = new HashMap<>();
    private final Map<String, Double> runPeak = new HashMap<>();
    private volatile String backendProblem;

    /** @param backends null when PostgreSQL cannot be reached directly (no backend series then) */
    public Sampler(BackendCounter backends, List<Probe> probes, long periodMillis) {
        this.backends = backends;
        this.probes = List.copyOf(probes);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadtest-sampler");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::sampleOnce, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void sampleOnce() {
        if (backends != null) {
            try {
                record(BACKENDS, backends.count());
                backendProblem = null;
            } catch (Exception e) {
                backendProblem = "backend sampling failed: " + e.getMessage();
            }
        }
        for (Probe probe : probes) {
            try {
                probe.sample().forEach(this::record);
            } catch (RuntimeException e) {
                // A probe must not stop the others; an empty interval shows the gap.
            }
        }
    }

    private synchronized void record(String series, double value) {
        intervalPeak.merge(series, value, Math::max);
        runPeak.merge(series, value, Math::max);
    }

    /** The peaks since the previous call, then starts a new interval. */
    public synchronized Map<String, Double> takeInterval() {
        Map<String, Double> copy = Map.copyOf(intervalPeak);
        intervalPeak.clear();
        return copy;
    }

    /** The peak of each series over the whole run so far. */
    public synchronized Map<String, Double> runPeaks() {
        return Map.copyOf(runPeak);
    }

    /** The last backend sampling error, or null. */
    public String backendProblem() {
        return backendProblem;
    }

    /** Stops sampling, waiting for a sample in progress so the final peaks are complete. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
