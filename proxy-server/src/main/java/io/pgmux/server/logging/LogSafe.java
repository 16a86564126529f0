// Makes text a client chose safe to put in a log line.
package io.pgmux.server.logging;

/**
 * Escapes what a client supplies (user and database names, startup parameters, SQL text, anything decoded from its
 * messages) before it goes into a log message, so that no client can end a log line early and write a line of its
 * own: line feed, carriage return and tab become {@code \n}, {@code \r} and {@code \t}; every other C0 and C1 control
 * character, DEL and the Unicode line and paragraph separators become {@code \}{@code uXXXX}. Everything else, the
 * backslash included, is kept as it is, so applying it twice changes nothing more than applying it once.
 *
 * <p>{@link TextLineLayout} applies the same to every message of the text layout as a second line of
 * defence; call sites escape anyway, because the JSON layout and other appenders see the message as it was logged.
 * Stateless and thread-safe.
 */
public final class LogSafe {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogSafe() {
    }

    /** {@code text} with control characters escaped; null stays null, and text without any is returned as is. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text; // the common case: no copy
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                escaped.append(c);
            } else if (c == '\n') {
                escaped.append("\\n");
            } else if (c == '\r') {
                escaped.append("\\r");
            } else if (c == '\t') {
                escaped.append("\\t");
            } else {
                escaped.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return escaped.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** C0 controls, DEL, C1 controls (NEL among them), and the two separators some log viewers break lines at. */
    private static boolean unsafe(char c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F || c == '\u2028' || c == '\u2029';
    }
}
