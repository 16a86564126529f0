// Parses the "key=value key='quoted value'" strings of PgBouncer's [databases] and [users] sections.
package io.pgmux.config.pgbouncer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of one [databases] or [users] line. Values are bare words, or single-quoted with {@code ''} (or
 * {@code \'}) for a quote inside, as libpq connection strings are written. A key given twice keeps its last value, as
 * in PgBouncer.
 */
final class ConnectionString {

    private ConnectionString() {
    }

    /**
     * The settings of {@code entry}'s value, or null after reporting to {@code out} why they cannot be read (the
     * entry is then skipped, and the conversion goes on to report every other mistake too).
     */
    static Map<String, String> parseOrReport(IniEntry entry, ConversionTarget out) {
        try {
            return parse(entry.value());
        } catch (IllegalArgumentException e) {
            out.error(entry, e.getMessage());
            return null;
        }
    }

    /**
     * Splits {@code text} into keys and values.
     *
     * @throws IllegalArgumentException with a message that names the key near the problem, never a value (which may
     *                                  be a password)
     */
    static Map<String, String> parse(String text) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            i = skipBlanks(text, i);
            if (i >= n) {
                return pairs;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(keyStart, i);
            i = skipBlanks(text, i);
            if (i >= n || text.charAt(i) != '=') {
                throw new IllegalArgumentException("expected key=value, got '" + key + "' without '='");
            }
            i = skipBlanks(text, i + 1);
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i = quoted(text, i + 1, value, key);
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    value.append(text.charAt(i++));
                }
            }
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a value without a key");
            }
            pairs.put(key, value.toString());
        }
    }

    private static int quoted(String text, int start, StringBuilder value, String key) {
        int i = start;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < n) {
                value.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '\'' && i + 1 < n && text.charAt(i + 1) == '\'') {
                value.append('\'');
                i += 2;
            } else if (c == '\'') {
                return i + 1;
            } else {
                value.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("the quoted value of " + key + " has no closing quote");
    }

    private static int skipBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
