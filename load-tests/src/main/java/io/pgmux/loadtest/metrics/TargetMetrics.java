// Thread-safe counters and latency recorders of one target's run, turned into timeline ticks and a result.
package io.pgmux.loadtest.metrics;

import io.pgmux.loadtest.driver.FunctionOutcome;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Functions record from any thread; {@link #tick} is called by the one runner thread. HdrHistogram recorders give
 * per-interval distributions without locking the recording threads; the ticks add them into run-wide histograms.
 */
public final class TargetMetrics {
    private final Recorder connectRecorder = new Recorder(3);
    private final Recorder transactionRecorder = new Recorder(3);
    private final Histogram connectTotal = new Histogram(3);
    private final Histogram transactionTotal = new Histogram(3);
    private final LongAdder launched = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong peakInFlight = new AtomicLong();
    private final Map<String, Map<String, LongAdder>> errors = new ConcurrentHashMap<>();
    private final List<Tick> timeline = new ArrayList<>();
    private long launchedAtLastTick;
    private long succeededAtLastTick;
    private long failedAtLastTick;

    /** A function starts. */
    public void launched() {
        launched.increment();
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    /** A function ended with {@code outcome}. */
    public void finished(FunctionOutcome outcome) {
        if (outcome.connectNanos() >= 0) {
            connectRecorder.recordValue(Math.max(1, outcome.connectNanos() / 1000));
        }
        if (outcome.succeeded()) {
            transactionRecorder.recordValue(Math.max(1, outcome.transactionNanos() / 1000));
            succeeded.increment();
        } else {
            errors.computeIfAbsent(outcome.phase(), p -> new ConcurrentHashMap<>())
                    .computeIfAbsent(outcome.errorKey(), k -> new LongAdder()).increment();
            failed.increment();
        }
        inFlight.decrementAndGet();
    }

    public long launchedCount() {
        return launched.sum();
    }

    public long inFlight() {
        return inFlight.get();
    }

    public long succeededCount() {
        return succeeded.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    /** Closes the current interval; {@code samples} are the sampler's peaks for it. Runner thread only. */
    public Tick tick(double endSeconds, Map<String, Double> samples) {
        Histogram connect = connectRecorder.getIntervalHistogram();
        Histogram transaction = transactionRecorder.getIntervalHistogram();
        connectTotal.add(connect);
        transactionTotal.add(transaction);
        long l = launched.sum();
        long s = succeeded.sum();
        long f = failed.sum();
        Tick tick = new Tick(endSeconds, l - launchedAtLastTick, s - succeededAtLastTick, f - failedAtLastTick,
                inFlight.get(), LatencySummary.of(transaction), LatencySummary.of(connect), samples);
        launchedAtLastTick = l;
        succeededAtLastTick = s;
        failedAtLastTick = f;
        timeline.add(tick);
        return tick;
    }

    /** Run-wide latency so far (up to the last tick). */
    public LatencySummary transactionSoFar() {
        return LatencySummary.of(transactionTotal);
    }

    /** Builds the result after the final tick. Runner thread only. */
    public TargetResult result(RunIdentity run, double durationSeconds, Map<String, Double> peakSamples,
                               long committedRows, List<String> notes) {
        Map<String, Map<String, Long>> errorCounts = new TreeMap<>();
        errors.forEach((phase, byKey) -> {
            Map<String, Long> counts = new TreeMap<>();
            byKey.forEach((key, count) -> counts.put(key, count.sum()));
            errorCounts.put(phase, counts);
        });
        double peakThroughput = 0;
        double previousEnd = 0;
        for (Tick t : timeline) {
            double length = t.endSeconds() - previousEnd;
            // Intervals under half a second (the final partial one) would exaggerate a rate.
            if (length >= 0.5) {
                peakThroughput = Math.max(peakThroughput, t.completed() / length);
            }
            previousEnd = t.endSeconds();
        }
        long ok = succeeded.sum();
        return new TargetResult(run.target(), run.address(), run.client(), run.runId(), durationSeconds,
                launched.sum(), ok, failed.sum(), inFlight.get(), errorCounts, LatencySummary.of(connectTotal),
                LatencySummary.of(transactionTotal), durationSeconds > 0 ? ok / durationSeconds : 0,
                peakThroughput, peakInFlight.get(), peakSamples, committedRows, notes, timeline);
    }

    /** Names a run in its result. */
    public record RunIdentity(String target, String address, String client, String runId) {
    }
}
