// Parses integer settings and reports type and range problems in the house message format.
package io.pgmux.config;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** Integer parsing shared by every binder, so all integer errors read the same way. */
final class IntegerValues {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private IntegerValues() {
    }

    /**
     * Parses {@code text} as a decimal integer within {@code min..max}.
     *
     * @throws ConfigException {@code "where: must be an integer, got 'x'"} or {@code "where: must be 1..65535, got 0"}
     */
    static int parse(String text, String where, int min, int max) {
        String trimmed = text == null ? "" : text.trim();
        if (!INTEGER.matcher(trimmed).matches()) {
            throw ConfigException.at(where, "must be an integer, got '" + text + "'");
        }
        // BigInteger so that absurdly long numbers get the range message instead of a parse failure.
        BigInteger value = new BigInteger(trimmed);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw ConfigException.at(where, rangeDescription(min, max) + ", got " + value);
        }
        return value.intValueExact();
    }

    private static String rangeDescription(int min, int max) {
        return max == Integer.MAX_VALUE ? "must be >= " + min : "must be " + min + ".." + max;
    }
}
