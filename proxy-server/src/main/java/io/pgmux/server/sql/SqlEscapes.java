package io.pgmux.server.sql;

/**
 * The escapes of PostgreSQL string constants and quoted identifiers, resolved so that a name written with escapes
 * ({@code E'pg\x5ftemp'}, {@code U&"pg\005ftemp"}) is recognised like one written plainly.
 */
final class SqlEscapes {
    private SqlEscapes() {
    }

    /**
     * Appends the character a backslash escape at {@code at} stands for: a control character ({@code \n} ...),
     * an octal, hexadecimal ({@code x}) or unicode ({@code u}, {@code U}) code, or else the next character itself.
     *
     * @return the index just past the escape
     */
    static int backslash(String s, int at, StringBuilder out) {
        int k = at + 1;
        if (k >= s.length()) {
            return k;
        }
        char c = s.charAt(k);
        switch (c) {
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'x' -> {
                return code(s, k + 1, 2, 16, out, c);
            }
            case 'u' -> {
                return code(s, k + 1, 4, 16, out, c);
            }
            case 'U' -> {
                return code(s, k + 1, 8, 16, out, c);
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    return code(s, k, 3, 8, out, c);
                }
                out.append(c);
            }
        }
        return k + 1;
    }

    /** Up to {@code max} digits in {@code radix} from {@code from} as one code point; none: {@code fallback}. */
    private static int code(String s, int from, int max, int radix, StringBuilder out, char fallback) {
        int end = from;
        while (end < s.length() && end - from < max && Character.digit(s.charAt(end), radix) >= 0) {
            end++;
        }
        if (end == from) {
            out.append(fallback);
            return from;
        }
        appendCodePoint(out, Long.parseLong(s.substring(from, end), radix));
        return end;
    }

    /** The value of a U&amp; constant or identifier: {@code escape} + 4 hex digits, + '+' and 6, or doubled. */
    static String unicode(String raw, char escape) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int k = 0; k < raw.length(); k++) {
            char c = raw.charAt(k);
            if (c != escape || k + 1 >= raw.length()) {
                out.append(c);
            } else if (raw.charAt(k + 1) == escape) {
                out.append(escape);
                k++;
            } else {
                int digits = raw.charAt(k + 1) == '+' ? 6 : 4;
                int from = k + 1 + (digits == 6 ? 1 : 0);
                if (from + digits <= raw.length() && isHex(raw, from, from + digits)) {
                    appendCodePoint(out, Long.parseLong(raw.substring(from, from + digits), 16));
                    k = from + digits - 1;
                } else {
                    out.append(c); // PostgreSQL rejects it: the text runs nowhere
                }
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void appendCodePoint(StringBuilder out, long code) {
        out.appendCodePoint(Character.isValidCodePoint((int) code) && code <= Character.MAX_CODE_POINT
                ? (int) code : 0xFFFD);
    }
}
