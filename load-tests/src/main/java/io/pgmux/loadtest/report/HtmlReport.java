// A self-contained HTML report: summary tables and inline SVG plots, no scripts or external resources.
package io.pgmux.loadtest.report;

import io.pgmux.loadtest.metrics.Sampler;
import io.pgmux.loadtest.metrics.TargetResult;
import io.pgmux.loadtest.metrics.Tick;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Plots per target: latency percentiles over time and backends versus clients; across targets: throughput and
 * errors per second. The summary repeats the console table.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(RunReport report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pgmux load test: ")
                .append(Html.escape(report.scenario())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
                .append("td:first-child{text-align:left}pre{background:#f7f7f7;padding:8px}</style></head><body>\n");
        html.append("<h1>Scenario ").append(Html.escape(report.scenario())).append("</h1>\n<p>")
                .append(Html.escape(nullToEmpty(report.description()))).append("</p>\n<ul><li>Arrivals: ")
                .append(Html.escape(report.arrival())).append("</li><li>Transaction: ")
                .append(Html.escape(report.transaction())).append("</li><li>Client: ")
                .append(Html.escape(report.client())).append("</li><li>Started: ")
                .append(Html.escape(report.startedAt())).append("</li>");
        if (report.postgres() != null) {
            html.append("<li>PostgreSQL: ").append(Html.escape(report.postgres())).append("</li>");
        }
        html.append("</ul>\n<h2>Summary</h2>\n<pre>").append(Html.escape(ConsoleReport.render(report)))
                .append("</pre>\n");
        appendCharts(html, report.results());
        return html.append("</body></html>\n").toString();
    }

    private static void appendCharts(StringBuilder html, List<TargetResult> results) {
        html.append("<h2>Throughput</h2>\n").append(SvgChart.render("Successful functions per second", "seconds",
                "per second", perTarget(results, Tick::completed)));
        html.append("<h2>Errors</h2>\n").append(SvgChart.render("Failed functions per second", "seconds",
                "per second", perTarget(results, Tick::failed)));
        for (TargetResult r : results) {
            html.append("<h2>").append(Html.escape(r.target())).append(" (").append(Html.escape(r.address()))
                    .append(")</h2>\n");
            html.append(SvgChart.render("Latency percentiles over time", "seconds", "ms", latency(r)));
            html.append(SvgChart.render("Backends vs clients", "seconds", "count", backendsVsClients(r)));
            html.append(SvgChart.render("PostgreSQL backends and sampled metrics", "seconds", "count",
                    backendsAndProbes(r)));
        }
    }

    /** Per-second rates: an interval's count divided by its length, so a short last interval does not dip. */
    private static List<SvgChart.Series> perTarget(List<TargetResult> results, ToLongFunction<Tick> count) {
        List<SvgChart.Series> series = new ArrayList<>();
        for (TargetResult r : results) {
            List<Tick> ticks = r.timeline();
            double[] xs = new double[ticks.size()];
            double[] ys = new double[ticks.size()];
            double previousEnd = 0;
            for (int i = 0; i < ticks.size(); i++) {
                Tick t = ticks.get(i);
                double length = t.endSeconds() - previousEnd;
                xs[i] = t.endSeconds();
                ys[i] = length >= 0.2 ? count.applyAsLong(t) / length : Double.NaN;
                previousEnd = t.endSeconds();
            }
            series.add(new SvgChart.Series(r.target(), xs, ys, false));
        }
        return series;
    }

    private static List<SvgChart.Series> latency(TargetResult r) {
        List<Tick> ticks = r.timeline();
        return List.of(series("tx p50", ticks, t -> t.transaction().p50Ms(), false),
                series("tx p95", ticks, t -> t.transaction().p95Ms(), false),
                series("tx p99", ticks, t -> t.transaction().p99Ms(), false),
                series("connect p50", ticks, t -> t.connect().p50Ms(), true),
                series("connect p99", ticks, t -> t.connect().p99Ms(), true));
    }

    private static List<SvgChart.Series> backendsVsClients(TargetResult r) {
        List<Tick> ticks = r.timeline();
        return List.of(series("clients", ticks, t -> t.clients(), false),
                series("backends", ticks, t -> sample(t, Sampler.BACKENDS), false));
    }

    /** Backends on their own scale (next to thousands of clients they are a flat line), with probe series. */
    private static List<SvgChart.Series> backendsAndProbes(TargetResult r) {
        List<Tick> ticks = r.timeline();
        List<SvgChart.Series> series = new ArrayList<>();
        series.add(series("backends", ticks, t -> sample(t, Sampler.BACKENDS), false));
        TreeSet<String> others = new TreeSet<>();
        ticks.forEach(t -> others.addAll(t.samples().keySet()));
        others.remove(Sampler.BACKENDS);
        for (String name : others) {
            series.add(series(shorten(name), ticks, t -> sample(t, name), true));
        }
        return series;
    }

    private static SvgChart.Series series(String name, List<Tick> ticks, ToDoubleFunction<Tick> value,
                                          boolean dashed) {
        double[] xs = new double[ticks.size()];
        double[] ys = new double[ticks.size()];
        for (int i = 0; i < ticks.size(); i++) {
            xs[i] = ticks.get(i).endSeconds();
            ys[i] = value.applyAsDouble(ticks.get(i));
        }
        return new SvgChart.Series(name, xs, ys, dashed);
    }

    private static double sample(Tick tick, String name) {
        Map<String, Double> samples = tick.samples();
        Double v = samples.get(name);
        return v == null ? Double.NaN : v;
    }

    /** Legend space is narrow: long Prometheus series names are cut. */
    private static String shorten(String name) {
        return name.length() <= 22 ? name : name.substring(0, 21) + "…";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

}
