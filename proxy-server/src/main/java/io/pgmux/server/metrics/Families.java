// Collects the data points of one scrape into Prometheus metric families.
package io.pgmux.server.metrics;

import io.pgmux.pool.LatencyBuckets;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A builder for one scrape: data points are added family by family, in any order, and {@link #build()} returns
 * the families in the order they first appeared. Used at scrape time only, so it may allocate freely.
 */
final class Families {
    private static final double[] BOUNDS = withInfinity(LatencyBuckets.boundsSeconds());

    private final Map<String, MetricSnapshot.Builder<?>> families = new LinkedHashMap<>();

    void gauge(String name, String help, double value, Labels labels) {
        GaugeSnapshot.Builder family = family(name, help, GaugeSnapshot::builder);
        family.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(labels).build());
    }

    /** {@code name} without the {@code _total} suffix; the exposition format adds it. */
    void counter(String name, String help, double value, Labels labels) {
        CounterSnapshot.Builder family = family(name, help, CounterSnapshot::builder);
        family.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(labels).build());
    }

    /** A histogram in seconds; {@code name} should end with {@code _seconds}. */
    void histogram(String name, String help, LatencyBuckets.Snapshot snapshot, Labels labels) {
        HistogramSnapshot.Builder family = family(name, help, HistogramSnapshot::builder);
        family.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, snapshot.counts()))
                .sum(snapshot.sumNanos() / 1e9)
                .labels(labels)
                .build());
    }

    MetricSnapshots build() {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        families.values().forEach(f -> all.metricSnapshot(f.build()));
        return all.build();
    }

    @SuppressWarnings("unchecked")
    private <B extends MetricSnapshot.Builder<B>> B family(String name, String help, Supplier<B> create) {
        return (B) families.computeIfAbsent(name, n -> create.get().name(n).help(help));
    }

    private static double[] withInfinity(double[] bounds) {
        double[] all = java.util.Arrays.copyOf(bounds, bounds.length + 1);
        all[bounds.length] = Double.POSITIVE_INFINITY;
        return all;
    }
}
