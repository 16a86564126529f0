// The text of a wait deadline, as a client writes it in a startup option or a SET: "2s", "500ms", "1500".
package io.pgmux.server.admission;

import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses pgmux.wait_deadline values; a bare number is milliseconds, as for PostgreSQL's own timeouts. */
public final class WaitDeadlines {
    private static final Pattern VALUE = Pattern.compile("(\\d{1,9})\\s*(ms|s|min)?");

    private WaitDeadlines() {
    }

    /**
     * The deadline in nanoseconds; 0 means none.
     *
     * @throws PgException 22023 with {@code severity} for anything else
     */
    public static long parseNanos(String text, Severity severity) {
        Matcher m = VALUE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new PgException(severity, SqlState.INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"pgmux.wait_deadline\": \"" + text + "\"",
                    null, "Valid units are \"ms\", \"s\" and \"min\"; a number alone is milliseconds.");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> TimeUnit.SECONDS.toNanos(amount);
            case "min" -> TimeUnit.MINUTES.toNanos(amount);
            default -> TimeUnit.MILLISECONDS.toNanos(amount);
        };
    }

    /** A deadline as SHOW gives it, in the largest unit that states it exactly, as PostgreSQL shows its timeouts. */
    public static String format(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (millis == 0) {
            return "0";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "min";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
