// A steady arrival rate: N functions per second for a fixed time (rate 0 is an idle phase).
package io.pgmux.loadtest.arrival;

/** {@code perSecond} functions per second, evenly spaced, for {@code durationMillis}. */
public record ConstantRate(double perSecond, long durationMillis) implements ArrivalPattern {
    public ConstantRate {
        if (perSecond < 0 || durationMillis < 0) {
            throw new IllegalArgumentException("rate and duration must not be negative");
        }
    }

    @Override
    public long dueBy(long elapsedMillis) {
        long t = Math.min(Math.max(elapsedMillis, 0), durationMillis);
        return Math.min(total(), (long) Math.floor(perSecond * t / 1000.0));
    }

    @Override
    public long total() {
        return (long) Math.floor(perSecond * durationMillis / 1000.0);
    }

    @Override
    public String describe() {
        return perSecond == 0 ? "idle for " + Durations.format(durationMillis)
                : "constant: " + Durations.rate(perSecond) + "/s for " + Durations.format(durationMillis);
    }
}
