// Reads PgBouncer's value formats (integers, seconds, 0/1 switches, lists) into what pgmux's YAML expects.
package io.pgmux.config.pgbouncer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conversions of single ini values. A value that does not parse is reported to the {@link ConversionTarget} as an
 * error naming the setting, and the method returns {@code null}; callers skip the setting then.
 */
final class IniValues {

    /** PgBouncer's times are seconds, fractions allowed; libusual also takes a unit. */
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(us|ms|s|min|h|d)?");

    private IniValues() {
    }

    /** An integer of at least {@code min}. */
    static Integer integer(IniEntry entry, long min, ConversionTarget out) {
        try {
            long value = Long.parseLong(entry.value().strip());
            if (value < min || value > Integer.MAX_VALUE) {
                out.error(entry, "must be " + min + ".." + Integer.MAX_VALUE + ", got " + entry.value());
                return null;
            }
            return (int) value;
        } catch (NumberFormatException e) {
            out.error(entry, "must be an integer, got '" + entry.value() + "'");
            return null;
        }
    }

    /** A 0/1 switch (PgBouncer also reads on/off, true/false, yes/no). */
    static Boolean flag(IniEntry entry, ConversionTarget out) {
        return switch (entry.value().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "on", "true", "yes" -> true;
            case "0", "off", "false", "no" -> false;
            default -> {
                out.error(entry, "must be 0 or 1, got '" + entry.value() + "'");
                yield null;
            }
        };
    }

    /**
     * A time in pgmux's duration syntax: {@code "30s"}, {@code "1500ms"}, or {@code "0"}; seconds when no unit is
     * written, as in PgBouncer. The YAML writer prints {@code "0"} as a quoted text; {@link #yaml} makes it a number.
     */
    static String duration(IniEntry entry, ConversionTarget out) {
        Matcher m = TIME.matcher(entry.value().strip());
        if (!m.matches()) {
            out.error(entry, "must be a number of seconds, got '" + entry.value() + "'");
            return null;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        BigDecimal micros = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(switch (unit) {
            case "us" -> 1L;
            case "ms" -> 1_000L;
            case "min" -> 60_000_000L;
            case "h" -> 3_600_000_000L;
            case "d" -> 86_400_000_000L;
            default -> 1_000_000L;
        }));
        long ms = micros.divide(BigDecimal.valueOf(1000), java.math.RoundingMode.CEILING).longValueExact();
        if (ms == 0) {
            return "0";
        }
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    /**
     * A file name, made absolute against the directory of the ini file that names it, so that the YAML pgmux
     * prints works wherever it is saved.
     */
    static String path(IniEntry entry) {
        java.nio.file.Path dir = entry.file().toAbsolutePath().getParent();
        java.nio.file.Path named = java.nio.file.Path.of(entry.value().strip());
        return (dir == null ? named : dir.resolve(named)).normalize().toString();
    }

    /** A duration for the YAML tree: {@code 0} as a number, anything else as its text. */
    static Object yaml(String duration) {
        return "0".equals(duration) ? (Object) 0 : duration;
    }

    /** A comma-separated list (blanks around items are dropped), as admin_users and friends are written. */
    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }
}
