// SET and RESET of pgmux.wait_deadline, which pgmux answers itself instead of sending them to PostgreSQL.
package io.pgmux.server.admission;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises {@code SET pgmux.wait_deadline = '2s'} (also {@code TO}, {@code SET SESSION}, quoted or not) and
 * {@code RESET pgmux.wait_deadline} as a simple query on their own. Anything else, including these inside a
 * multi-statement query, is PostgreSQL's (which accepts pgmux.* as a custom setting and ignores it).
 */
public final class DeadlineStatements {
    private static final Pattern SET = Pattern.compile(
            "\\s*set\\s+(?:session\\s+)?pgmux\\.wait_deadline\\s*(?:=|\\s+to\\s+)\\s*('[^']*'|[0-9a-z]+)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RESET = Pattern.compile("\\s*reset\\s+pgmux\\.wait_deadline\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);
    /** Longer queries are not read at all: these statements are short. */
    private static final int MAX_LENGTH = 200;

    private DeadlineStatements() {
    }

    /** What a Query asks of the deadline. */
    public sealed interface Change permits Set, Reset {
    }

    /** {@code SET pgmux.wait_deadline = value}, with the value's text unquoted. */
    public record Set(String value) implements Change {
    }

    /** {@code RESET pgmux.wait_deadline}. */
    public record Reset() implements Change {
    }

    /**
     * Whether a Query of {@code bodyLength} bytes starting with {@code firstByte} may be one of these statements:
     * a look at two numbers, so that other queries are never decoded here.
     */
    public static boolean mayBe(int bodyLength, byte firstByte) {
        int lower = firstByte | 0x20;
        return bodyLength <= MAX_LENGTH && (lower == 's' || lower == 'r');
    }

    /** The change {@code sql} asks for, or null when it is not one of these statements. */
    public static Change parse(String sql) {
        Matcher set = SET.matcher(sql);
        if (set.matches()) {
            String value = set.group(1);
            return new Set(value.startsWith("'") ? value.substring(1, value.length() - 1) : value);
        }
        return RESET.matcher(sql).matches() ? new Reset() : null;
    }
}
