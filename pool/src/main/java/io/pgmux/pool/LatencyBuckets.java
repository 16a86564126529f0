// A lock-free, allocation-free latency histogram with fixed buckets, cheap enough to record on the hot path.
package io.pgmux.pool;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts durations into fixed buckets (100 µs to 60 s, then +Inf) and keeps their sum. {@link #record} takes no lock
 * and allocates nothing once every adder it touches has been used from each thread (a {@link LongAdder} allocates its
 * cells once, on its first contention); it is safe to call from every event loop at once.
 *
 * <p>Readers (the metrics endpoint, the admin console) take a {@link #snapshot()}: the buckets are read one by one,
 * so a snapshot taken while threads record may be off by the events in flight, never by more.
 */
public final class LatencyBuckets {
    /** Upper bounds of the finite buckets, in seconds; the last bucket (+Inf) catches everything longer. */
    private static final double[] BOUNDS_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            BOUNDS_NANOS[i] = (long) (BOUNDS_SECONDS[i] * 1e9);
        }
    }

    private final LongAdder[] counts = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyBuckets() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one duration; negative values (a clock step) count as zero. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && value > BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(value);
    }

    /** The finite upper bounds, in seconds (a copy); the snapshot has one more bucket, +Inf. */
    public static double[] boundsSeconds() {
        return BOUNDS_SECONDS.clone();
    }

    public Snapshot snapshot() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return new Snapshot(c, sumNanos.sum());
    }

    /**
     * Counts per bucket (not cumulative; the last is +Inf) and the sum of all recorded durations.
     *
     * @param counts   one entry per bound of {@link #boundsSeconds()}, plus one for +Inf
     * @param sumNanos total of the recorded durations
     */
    public record Snapshot(long[] counts, long sumNanos) {
        public long count() {
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            return total;
        }

        /**
         * The upper bound (seconds) of the bucket holding quantile {@code q} (0..1): an upper estimate, as
         * Prometheus' histogram_quantile would interpolate inside that bucket. 0 when nothing was recorded;
         * +Inf when the quantile lies beyond the last finite bound.
         */
        public double quantileUpperBound(double q) {
            long total = count();
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return i < BOUNDS_SECONDS.length ? BOUNDS_SECONDS[i] : Double.POSITIVE_INFINITY;
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }
}
