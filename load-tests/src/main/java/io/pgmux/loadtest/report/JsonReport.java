// The machine-readable report: every number of the summary plus the per-second timeline.
package io.pgmux.loadtest.report;

import io.pgmux.loadtest.metrics.LatencySummary;
import io.pgmux.loadtest.metrics.TargetResult;
import io.pgmux.loadtest.metrics.Tick;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a {@link RunReport} into JSON; latencies are milliseconds, unmeasured values null. */
public final class JsonReport {
    private JsonReport() {
    }

    public static String render(RunReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", report.scenario());
        root.put("description", report.description());
        root.put("arrival", report.arrival());
        root.put("transaction", report.transaction());
        root.put("client", report.client());
        root.put("started_at", report.startedAt());
        root.put("postgres", report.postgres());
        List<Object> targets = new ArrayList<>();
        report.results().forEach(r -> targets.add(target(r)));
        root.put("targets", targets);
        return Json.write(root);
    }

    private static Map<String, Object> target(TargetResult r) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", r.target());
        t.put("address", r.address());
        t.put("client", r.client());
        t.put("run_id", r.runId());
        t.put("duration_seconds", r.durationSeconds());
        t.put("launched", r.launched());
        t.put("succeeded", r.succeeded());
        t.put("failed", r.failed());
        t.put("unfinished", r.unfinished());
        t.put("errors", r.errors());
        t.put("connect_ms", latency(r.connect()));
        t.put("transaction_ms", latency(r.transaction()));
        t.put("throughput_per_second", r.throughputPerSec());
        t.put("peak_throughput_per_second", r.peakThroughputPerSec());
        t.put("peak_clients", r.peakClients());
        t.put("peak_samples", r.peakSamples());
        t.put("committed_rows", r.committedRows() < 0 ? null : r.committedRows());
        t.put("notes", r.notes());
        List<Object> timeline = new ArrayList<>();
        r.timeline().forEach(tick -> timeline.add(tick(tick)));
        t.put("timeline", timeline);
        return t;
    }

    private static Map<String, Object> tick(Tick tick) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("t", tick.endSeconds());
        t.put("started", tick.started());
        t.put("completed", tick.completed());
        t.put("failed", tick.failed());
        t.put("clients", tick.clients());
        t.put("transaction_ms", latency(tick.transaction()));
        t.put("connect_ms", latency(tick.connect()));
        t.put("samples", tick.samples());
        return t;
    }

    private static Map<String, Object> latency(LatencySummary s) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("count", s.count());
        l.put("mean", s.meanMs());
        l.put("p50", s.p50Ms());
        l.put("p95", s.p95Ms());
        l.put("p99", s.p99Ms());
        l.put("max", s.maxMs());
        return l;
    }
}
