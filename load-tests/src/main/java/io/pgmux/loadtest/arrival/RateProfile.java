// Replays a recorded traffic shape: one arrival rate per second, e.g. read from a CSV file.
package io.pgmux.loadtest.arrival;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Second {@code i} of the run has {@code ratesPerSecond[i]} arrivals, evenly spaced within that second. */
public record RateProfile(List<Double> ratesPerSecond, String source) implements ArrivalPattern {
    public RateProfile {
        ratesPerSecond = List.copyOf(ratesPerSecond);
        if (ratesPerSecond.stream().anyMatch(r -> r < 0)) {
            throw new IllegalArgumentException("rates must not be negative");
        }
    }

    /**
     * Reads a CSV whose last column on each line is the rate for the next second; lines starting with '#', blank
     * lines and a header line whose last column is not a number are skipped. So both {@code 120} and
     * {@code 17,120} (second, rate) work.
     */
    public static RateProfile fromCsv(Path file) throws IOException {
        List<Double> rates = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",");
            String last = cells[cells.length - 1].strip();
            try {
                rates.add(Double.parseDouble(last));
            } catch (NumberFormatException e) {
                if (!rates.isEmpty()) {
                    throw new IOException(file + " line " + (i + 1) + ": not a rate: " + last, e);
                }
            }
        }
        return new RateProfile(rates, file.getFileName().toString());
    }

    @Override
    public long dueBy(long elapsedMillis) {
        long t = Math.min(Math.max(elapsedMillis, 0), durationMillis());
        int whole = (int) (t / 1000);
        double arrivals = 0;
        for (int s = 0; s < whole; s++) {
            arrivals += ratesPerSecond.get(s);
        }
        if (whole < ratesPerSecond.size()) {
            arrivals += ratesPerSecond.get(whole) * (t % 1000) / 1000.0;
        }
        return Math.min(total(), (long) Math.floor(arrivals + 1e-9));
    }

    @Override
    public long durationMillis() {
        return ratesPerSecond.size() * 1000L;
    }

    @Override
    public long total() {
        return (long) Math.floor(ratesPerSecond.stream().mapToDouble(Double::doubleValue).sum() + 1e-9);
    }

    @Override
    public String describe() {
        return "replay of " + source + ": " + total() + " functions over " + Durations.format(durationMillis());
    }
}
