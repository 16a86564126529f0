// SET and RESET of pgmux.wait_deadline, which pgmux answers itself instead of sending them to PostgreSQL.
package io.pgmux.server.admission;

import io.netty.buffer.ByteBuf;
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
     * Whether the Query text in {@code frame} from {@code start} ({@code length} bytes, its NUL included) may be
     * one of these statements: it is short and starts with "set " or "reset " in any case. Reads a few bytes and
     * allocates nothing, so that SELECTs and every other query pass by untouched.
     */
    public static boolean mayBe(ByteBuf frame, int start, int length) {
        return length <= MAX_LENGTH && (startsWithWord(frame, start, length, "set")
                || startsWithWord(frame, start, length, "reset"));
    }

    private static boolean startsWithWord(ByteBuf frame, int start, int length, String word) {
        if (length <= word.length() + 1) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if ((frame.getByte(start + i) | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        byte after = frame.getByte(start + word.length());
        return after == ' ' || after == '\t' || after == '\n' || after == '\r';
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
