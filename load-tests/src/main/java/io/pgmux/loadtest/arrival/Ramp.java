// A linearly changing arrival rate, e.g. 0 to 500 functions per second over 30 seconds.
package io.pgmux.loadtest.arrival;

/** The rate moves linearly from {@code fromPerSecond} to {@code toPerSecond} over {@code durationMillis}. */
public record Ramp(double fromPerSecond, double toPerSecond, long durationMillis) implements ArrivalPattern {
    public Ramp {
        if (fromPerSecond < 0 || toPerSecond < 0 || durationMillis <= 0) {
            throw new IllegalArgumentException("rates must not be negative and the duration must be positive");
        }
    }

    @Override
    public long dueBy(long elapsedMillis) {
        double t = Math.min(Math.max(elapsedMillis, 0), durationMillis) / 1000.0;
        double d = durationMillis / 1000.0;
        // Integral of the linear rate from 0 to t.
        double arrivals = fromPerSecond * t + (toPerSecond - fromPerSecond) * t * t / (2 * d);
        return Math.min(total(), (long) Math.floor(arrivals + 1e-9));
    }

    @Override
    public long total() {
        return (long) Math.floor((fromPerSecond + toPerSecond) / 2 * durationMillis / 1000.0 + 1e-9);
    }

    @Override
    public String describe() {
        return "ramp: " + Durations.rate(fromPerSecond) + "/s to " + Durations.rate(toPerSecond) + "/s over "
                + Durations.format(durationMillis);
    }
}
