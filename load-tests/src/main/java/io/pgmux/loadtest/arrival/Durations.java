// Parsing and printing of the short durations used in scenarios ("500ms", "10s", "2m").
package io.pgmux.loadtest.arrival;

import java.util.Locale;

/** Durations as {@code <number><unit>} with unit ms, s, m or h; a bare number means seconds. */
public final class Durations {
    private Durations() {
    }

    /** Milliseconds of {@code text}, e.g. {@code "1.5s"} is 1500. */
    public static long parseMillis(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        double factor = 1000;
        if (t.endsWith("ms")) {
            factor = 1;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 60_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            factor = 3_600_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            double value = Double.parseDouble(t.strip());
            if (value < 0) {
                throw new IllegalArgumentException("negative duration: " + text);
            }
            return Math.round(value * factor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration (e.g. 500ms, 10s, 2m): " + text, e);
        }
    }

    /** {@code 1500} as {@code "1.5s"}, {@code 250} as {@code "250ms"}. */
    public static String format(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        double seconds = millis / 1000.0;
        return (seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds)) + "s";
    }

    static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond);
    }
}
