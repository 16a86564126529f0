// Parses duration settings such as "250ms", "15s", "2m", "1h" or a plain number of seconds.
package io.pgmux.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Duration parsing shared by every binder, so all duration errors read the same way. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    private static final String FORMS = "a duration like 250ms, 15s, 2m, 1h or a plain number of seconds";

    private Durations() {
    }

    /**
     * Parses {@code text}; the unit is case-insensitive and a missing unit means seconds.
     *
     * @param zeroAllowed whether {@code 0} is meaningful ("disabled") for this setting
     * @throws ConfigException naming {@code where} for malformed, negative, zero (when not allowed) or huge values
     */
    static Duration parse(String text, String where, boolean zeroAllowed) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw ConfigException.at(where, "must be " + FORMS + ", got '" + text + "'");
        }
        Duration duration = toDuration(matcher.group(1), matcher.group(2), text, where);
        if (duration.isZero() && !zeroAllowed) {
            throw ConfigException.at(where, "must be greater than 0, got '" + text + "'");
        }
        return duration;
    }

    private static Duration toDuration(String amountText, String unit, String text, String where) {
        try {
            long amount = Long.parseLong(amountText);
            if (unit == null || unit.equals("s")) {
                return Duration.ofSeconds(amount);
            }
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            throw ConfigException.at(where, "duration is too large, got '" + text + "'");
        }
    }
}
