// The plain-text summary table printed at the end of a run.
package io.pgmux.loadtest.report;

import io.pgmux.loadtest.metrics.LatencySummary;
import io.pgmux.loadtest.metrics.Sampler;
import io.pgmux.loadtest.metrics.TargetResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link RunReport} as an aligned table plus the errors by SQLSTATE and any notes. */
public final class ConsoleReport {
    private static final String[] HEADER = {"target", "client", "launched", "ok", "failed", "connect ms p50/p95/p99/max",
        "tx ms p50/p95/p99/max", "tx/s avg/peak", "peak clients", "peak backends", "committed"};

    private ConsoleReport() {
    }

    public static String render(RunReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(report.scenario()).append(": ").append(report.arrival()).append("; ")
                .append(report.transaction()).append("; client ").append(report.client()).append('\n');
        if (report.postgres() != null) {
            out.append("PostgreSQL: ").append(report.postgres()).append('\n');
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        report.results().forEach(r -> rows.add(row(r)));
        appendTable(out, rows);
        appendErrors(out, report.results());
        appendSeries(out, report.results());
        for (TargetResult r : report.results()) {
            r.notes().forEach(n -> out.append("note [").append(r.target()).append("]: ").append(n).append('\n'));
        }
        return out.toString();
    }

    private static String[] row(TargetResult r) {
        return new String[] {r.target(), r.client(), String.valueOf(r.launched()), String.valueOf(r.succeeded()),
            String.valueOf(r.failed() + r.unfinished()), latency(r.connect()), latency(r.transaction()),
            String.format(Locale.ROOT, "%.0f/%.0f", r.throughputPerSec(), r.peakThroughputPerSec()),
            String.valueOf(r.peakClients()), number(r.peak(Sampler.BACKENDS)),
            r.committedRows() < 0 ? "-" : String.valueOf(r.committedRows())};
    }

    private static void appendTable(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i])).append(i + 1 < row.length
                        ? "  " : "\n");
            }
        }
    }

    private static void appendErrors(StringBuilder out, List<TargetResult> results) {
        for (TargetResult r : results) {
            for (Map.Entry<String, Map<String, Long>> phase : r.errors().entrySet()) {
                phase.getValue().forEach((key, count) -> out.append("errors [").append(r.target()).append("] ")
                        .append(phase.getKey()).append(": ").append(SqlStates.label(key)).append(" x ")
                        .append(count).append('\n'));
            }
        }
    }

    /** Peaks of probe series (e.g. pgmux wait metrics), which do not fit the fixed table columns. */
    private static void appendSeries(StringBuilder out, List<TargetResult> results) {
        for (TargetResult r : results) {
            r.peakSamples().forEach((series, peak) -> {
                if (!series.equals(Sampler.BACKENDS)) {
                    out.append("peak [").append(r.target()).append("] ").append(series).append(" = ")
                            .append(number(peak)).append('\n');
                }
            });
        }
    }

    private static String latency(LatencySummary s) {
        if (s.count() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%s/%s/%s/%s", ms(s.p50Ms()), ms(s.p95Ms()), ms(s.p99Ms()), ms(s.maxMs()));
    }

    private static String ms(double value) {
        return value < 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
