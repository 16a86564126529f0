// Scrapes a Prometheus text endpoint (pgmux /metrics) for pool exhaustion and wait series, tolerating its absence.
package io.pgmux.loadtest.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps the samples whose metric name contains one of {@code nameFragments}, keyed by name and labels. A missing
 * endpoint, an HTTP error or a malformed line yields no samples rather than failing the run: the endpoint may not
 * exist on the target at all.
 */
public final class PrometheusProbe implements Probe {
    /** Series worth plotting by default: pool exhaustion, client waits and queue lengths. */
    public static final List<String> DEFAULT_FRAGMENTS = List.of("exhaust", "wait", "queue");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final URI uri;
    private final List<String> nameFragments;
    private volatile String lastProblem;

    public PrometheusProbe(String url, List<String> nameFragments) {
        this.uri = URI.create(url);
        this.nameFragments = List.copyOf(nameFragments);
    }

    @Override
    public Map<String, Double> sample() {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(800)).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                lastProblem = "HTTP " + response.statusCode() + " from " + uri;
                return Map.of();
            }
            lastProblem = null;
            return parse(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            lastProblem = "cannot scrape " + uri + ": " + e.getClass().getSimpleName();
            return Map.of();
        }
    }

    /** Why the last scrape returned nothing, or null if it worked. */
    public String lastProblem() {
        return lastProblem;
    }

    Map<String, Double> parse(String body) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int split = l.lastIndexOf(' ');
            if (split <= 0) {
                continue;
            }
            String series = l.substring(0, split).strip();
            String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (nameFragments.stream().noneMatch(f -> name.toLowerCase(Locale.ROOT).contains(f))) {
                continue;
            }
            try {
                values.put(series, Double.parseDouble(l.substring(split + 1)));
            } catch (NumberFormatException e) {
                // A timestamp after the value, or garbage: skip the line rather than the whole scrape.
            }
        }
        return values;
    }
}
