// A cold fleet waking: N functions all arriving within a short window.
package io.pgmux.loadtest.arrival;

/** {@code functions} arrivals spread evenly over {@code withinMillis} (0 = all at once). */
public record Burst(long functions, long withinMillis) implements ArrivalPattern {
    public Burst {
        if (functions < 0 || withinMillis < 0) {
            throw new IllegalArgumentException("functions and window must not be negative");
        }
    }

    @Override
    public long dueBy(long elapsedMillis) {
        if (withinMillis == 0) {
            return functions;
        }
        long t = Math.min(Math.max(elapsedMillis, 0), withinMillis);
        return functions * t / withinMillis;
    }

    @Override
    public long durationMillis() {
        return withinMillis;
    }

    @Override
    public long total() {
        return functions;
    }

    @Override
    public String describe() {
        return "burst: " + functions + " functions within " + Durations.format(withinMillis);
    }
}
