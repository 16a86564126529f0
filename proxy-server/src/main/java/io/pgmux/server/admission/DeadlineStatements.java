// SET, RESET and SHOW of pgmux.wait_deadline, which pgmux answers itself instead of sending them to PostgreSQL.
package io.pgmux.server.admission;

import io.netty.buffer.ByteBuf;
import io.pgmux.server.sql.SqlLexer;
import io.pgmux.server.sql.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises {@code SET pgmux.wait_deadline = '2s'} (also {@code TO}, {@code SET SESSION}, quoted or not),
 * {@code RESET pgmux.wait_deadline} and {@code SHOW pgmux.wait_deadline} as a statement on their own, and finds a
 * SET or RESET among the statements of a multi-statement query ({@link #amongOthers}), which pgmux refuses rather
 * than let PostgreSQL ignore it. Anything else, {@code SET LOCAL} included, is PostgreSQL's (which accepts pgmux.*
 * as a custom setting and ignores it).
 */
public final class DeadlineStatements {
    private static final Pattern SET = Pattern.compile(
            "\\s*set\\s+(?:session\\s+)?pgmux\\.wait_deadline\\s*(?:=|\\s+to\\s+)\\s*('[^']*'|[0-9a-z]+)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RESET = Pattern.compile("\\s*reset\\s+pgmux\\.wait_deadline\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SHOW = Pattern.compile("\\s*show\\s+pgmux\\.wait_deadline\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);
    /** Longer queries are not read at all: these statements are short. */
    private static final int MAX_LENGTH = 200;
    private static final byte[] SETTING = "wait_deadline".getBytes(StandardCharsets.US_ASCII);

    private DeadlineStatements() {
    }

    /** What a Query asks of the deadline. */
    public sealed interface Change permits Set, Reset, Show {
    }

    /** {@code SET pgmux.wait_deadline = value}, with the value's text unquoted. */
    public record Set(String value) implements Change {
    }

    /** {@code RESET pgmux.wait_deadline}. */
    public record Reset() implements Change {
    }

    /** {@code SHOW pgmux.wait_deadline}: changes nothing, answered with the client's deadline. */
    public record Show() implements Change {
    }

    /**
     * Whether the Query text in {@code frame} from {@code start} ({@code length} bytes, its NUL included) may be
     * one of these statements: it is short and starts with "set ", "reset " or "show " in any case. Reads a few
     * bytes and allocates nothing, so that SELECTs and every other query pass by untouched.
     */
    public static boolean mayBe(ByteBuf frame, int start, int length) {
        return length <= MAX_LENGTH && (startsWithWord(frame, start, length, "set")
                || startsWithWord(frame, start, length, "reset") || startsWithWord(frame, start, length, "show"));
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

    /**
     * Whether the Query text in {@code frame} from {@code start} ({@code length} bytes) contains the word
     * wait_deadline in any case, anywhere (in a string or a comment too): the query that may need {@link
     * #amongOthers}. Allocates nothing.
     */
    public static boolean mentions(ByteBuf frame, int start, int length) {
        int last = start + length - SETTING.length;
        for (int i = start; i <= last; i++) {
            if (lower(frame.getByte(i)) != 'w') {
                continue;
            }
            int j = 1;
            while (j < SETTING.length && lower(frame.getByte(i + j)) == SETTING[j]) {
                j++;
            }
            if (j == SETTING.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code sql} has more than one statement and one of them is a SET (not SET LOCAL) or RESET of
     * pgmux.wait_deadline. pgmux cannot answer that statement in the middle of PostgreSQL's answers to the others,
     * and PostgreSQL would ignore it; such a query is refused instead.
     */
    public static boolean amongOthers(String sql) {
        SqlLexer lexer = SqlLexer.of(sql, SqlLexer.Reading.STANDARD);
        int statements = 0;
        boolean found = false;
        for (SqlStatement st = lexer.next(); st != null; st = lexer.next()) {
            statements++;
            found |= changesDeadline(st);
        }
        return found && statements > 1;
    }

    private static boolean changesDeadline(SqlStatement st) {
        int k;
        if (st.isWord(0, "reset")) {
            k = 1;
        } else if (st.isWord(0, "set")) {
            k = st.isWord(1, "session") ? 2 : 1;
        } else {
            return false;
        }
        return st.isWord(k, "pgmux") && st.isSymbol(k + 1, '.') && st.isWord(k + 2, "wait_deadline");
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    /** The change {@code sql} asks for, or null when it is not one of these statements. */
    public static Change parse(String sql) {
        Matcher set = SET.matcher(sql);
        if (set.matches()) {
            String value = set.group(1);
            return new Set(value.startsWith("'") ? value.substring(1, value.length() - 1) : value);
        }
        if (RESET.matcher(sql).matches()) {
            return new Reset();
        }
        return SHOW.matcher(sql).matches() ? new Show() : null;
    }
}
