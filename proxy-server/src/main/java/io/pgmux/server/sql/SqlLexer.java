package io.pgmux.server.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements of tokens by PostgreSQL's lexical rules (scan.l), as far as session-state
 * detection needs them: comments (block comments nest), string constants ({@code '...'}, {@code E'...'},
 * {@code U&'...'} with UESCAPE, {@code $tag$...$tag$}) and quoted identifiers never end a statement nor hide one.
 * Text PostgreSQL would reject (an unterminated quote or comment) runs nowhere, so how it is read does not matter.
 *
 * <p>One thing the text alone cannot tell: how PostgreSQL reads a backslash. In a plain {@code '...'} constant it
 * escapes the next character only with {@code standard_conforming_strings} off; and with a client encoding such as
 * SJIS or BIG5, a backslash (or a ';') right after a non-ASCII character may be the second byte of that character.
 * Callers read such text every way it can be read ({@link #readings}).
 */
public final class SqlLexer {
    /**
     * One way to read backslashes.
     *
     * @param plainStringsEscape a backslash escapes in {@code '...'} too (standard_conforming_strings off)
     * @param multibyteSwallows  a backslash or ';' right after a non-ASCII character belongs to that character
     */
    public record Reading(boolean plainStringsEscape, boolean multibyteSwallows) {
        public static final Reading STANDARD = new Reading(false, false);
    }

    /** One string per ASCII character, so that punctuation costs no string of its own. */
    private static final String[] SYMBOLS = new String[128];

    static {
        for (char c = 0; c < SYMBOLS.length; c++) {
            SYMBOLS[c] = String.valueOf(c);
        }
    }

    private final String sql;
    private final Reading reading;
    private final int n;
    /** The statement that ended, until {@link #next} hands it out; only one is held at a time. */
    private SqlStatement ended;
    private List<SqlToken> tokens = new ArrayList<>();
    private int i;
    private int depth;
    private boolean nested;

    private SqlLexer(String sql, Reading reading) {
        this.sql = sql;
        this.reading = reading;
        this.n = sql.length();
    }

    /** The readings that could differ for this text: the standard one first, others only when a backslash or a
     *  ';' after a non-ASCII character gives reason. */
    public static List<Reading> readings(String sql) {
        boolean backslash = sql.indexOf('\\') >= 0;
        boolean swallowable = false;
        for (int k = 1; k < sql.length() && !swallowable; k++) {
            char c = sql.charAt(k);
            swallowable = (c == '\\' || c == ';') && sql.charAt(k - 1) >= 0x80;
        }
        List<Reading> readings = new ArrayList<>(4);
        readings.add(Reading.STANDARD);
        if (backslash) {
            readings.add(new Reading(true, false));
        }
        if (swallowable) {
            readings.add(new Reading(false, true));
            if (backslash) {
                readings.add(new Reading(true, true));
            }
        }
        return readings;
    }

    /** Reads {@code sql} one statement at a time ({@link #next}), so that a long script is never held as tokens. */
    public static SqlLexer of(String sql, Reading reading) {
        return new SqlLexer(sql, reading);
    }

    /** The next statement that has tokens, or null after the last. */
    public SqlStatement next() {
        while (ended == null && i < n) {
            step();
        }
        if (ended == null) {
            endStatement(); // the text ended without a ';'
        }
        SqlStatement statement = ended;
        ended = null;
        return statement;
    }

    /**
     * Once every statement was read: a ';' stood inside parentheses, or a BEGIN ATOMIC body was seen. Statements of
     * a rule or function body then showed up as statements of their own, which is harmless for what creates state
     * but could fake an undo.
     */
    public boolean nested() {
        return nested;
    }

    private void step() {
        char c = sql.charAt(i);
        char next = at(i + 1);
        if (isSpace(c)) {
            i++;
        } else if (c == '-' && next == '-') {
            lineComment();
        } else if (c == '/' && next == '*') {
            blockComment();
        } else if (c == ';') {
            nested |= depth > 0;
            endStatement();
            i++;
        } else if (c == '\'') {
            string(i, i + 1, reading.plainStringsEscape(), false);
        } else if ((c == 'e' || c == 'E') && next == '\'') {
            string(i, i + 2, true, false);
        } else if ((c == 'n' || c == 'N') && next == '\'') {
            string(i, i + 2, reading.plainStringsEscape(), false);
        } else if ("bBxX".indexOf(c) >= 0 && next == '\'') {
            bitString();
        } else if ((c == 'u' || c == 'U') && next == '&' && (at(i + 2) == '\'' || at(i + 2) == '"')) {
            if (at(i + 2) == '\'') {
                string(i, i + 3, false, true);
            } else {
                quoted(i, i + 3, true);
            }
        } else if (c == '"') {
            quoted(i, i + 1, false);
        } else if (c == '$') {
            dollar();
        } else if (isIdentifierStart(c)) {
            word();
        } else if (c >= '0' && c <= '9') {
            number(i);
        } else {
            depth = c == '(' ? depth + 1 : c == ')' ? Math.max(0, depth - 1) : depth;
            add(SqlToken.Kind.SYMBOL, c < SYMBOLS.length ? SYMBOLS[c] : String.valueOf(c), i, i + 1);
            i++;
        }
    }

    private void endStatement() {
        if (!tokens.isEmpty()) {
            ended = new SqlStatement(sql, tokens);
            nested |= ended.hasWords("begin", "atomic");
            tokens = new ArrayList<>();
        }
    }

    private void lineComment() {
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
            i++;
        }
    }

    /** Block comments nest: each slash-star needs its own star-slash. */
    private void blockComment() {
        int open = 1;
        i += 2;
        while (i < n && open > 0) {
            if (sql.charAt(i) == '/' && at(i + 1) == '*') {
                open++;
                i += 2;
            } else if (sql.charAt(i) == '*' && at(i + 1) == '/') {
                open--;
                i += 2;
            } else {
                i++;
            }
        }
    }

    /** A string constant whose body starts at {@code bodyStart}. */
    private void string(int start, int bodyStart, boolean backslashEscapes, boolean unicode) {
        StringBuilder value = new StringBuilder();
        int j = bodyStart;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '\'' && at(j + 1) == '\'') {
                value.append('\'');
                j += 2;
            } else if (c == '\'') {
                j++;
                break;
            } else if (c == '\\' && backslashEscapes && !swallowed(j)) {
                j = SqlEscapes.backslash(sql, j, value);
            } else {
                value.append(c);
                j++;
            }
        }
        i = j;
        add(SqlToken.Kind.STRING, unicode ? unicodeEscapes(value.toString()) : value.toString(), start, i);
    }

    /** B'...' and X'...' end at the first quote: no doubled quotes, no escapes. */
    private void bitString() {
        int close = sql.indexOf('\'', i + 2);
        int end = close < 0 ? n : close + 1;
        add(SqlToken.Kind.STRING, sql.substring(i + 2, close < 0 ? n : close), i, end);
        i = end;
    }

    private void quoted(int start, int bodyStart, boolean unicode) {
        StringBuilder value = new StringBuilder();
        int j = bodyStart;
        while (j < n) {
            char c = sql.charAt(j);
            if (c == '"' && at(j + 1) == '"') {
                value.append('"');
                j += 2;
            } else if (c == '"') {
                j++;
                break;
            } else {
                value.append(c);
                j++;
            }
        }
        i = j;
        add(SqlToken.Kind.QUOTED, unicode ? unicodeEscapes(value.toString()) : value.toString(), start, i);
    }

    /** Resolves the escapes of a U&amp; constant, with the escape character of a UESCAPE clause after it, if any. */
    private String unicodeEscapes(String raw) {
        char escape = '\\';
        int k = skipSpaceAndComments(i);
        if (sql.regionMatches(true, k, "uescape", 0, 7) && !isIdentifierPart(at(k + 7))) {
            int quote = skipSpaceAndComments(k + 7);
            if (at(quote) == '\'' && at(quote + 2) == '\'' && at(quote + 3) != '\'') {
                escape = at(quote + 1);
                i = quote + 3;
            }
        }
        return SqlEscapes.unicode(raw, escape);
    }

    private int skipSpaceAndComments(int from) {
        int saved = i;
        i = from;
        while (i < n) {
            if (isSpace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                lineComment();
            } else if (sql.startsWith("/*", i)) {
                blockComment();
            } else {
                break;
            }
        }
        int found = i;
        i = saved;
        return found;
    }

    /** {@code $1}, {@code $tag$...$tag$} (the tag may be empty), or a lone '$'. */
    private void dollar() {
        if (at(i + 1) >= '0' && at(i + 1) <= '9') {
            number(i + 1);
            return;
        }
        int j = i + 1;
        if (isIdentifierStart(at(j))) { // a tag is an identifier without '$'
            while (isIdentifierStart(at(j)) || at(j) >= '0' && at(j) <= '9') {
                j++;
            }
        }
        if (at(j) != '$') {
            add(SqlToken.Kind.SYMBOL, "$", i, i + 1);
            i++;
            return;
        }
        String tag = sql.substring(i, j + 1);
        int close = sql.indexOf(tag, j + 1);
        int end = close < 0 ? n : close + tag.length();
        add(SqlToken.Kind.STRING, sql.substring(j + 1, close < 0 ? n : close), i, end);
        i = end;
    }

    /** Unquoted names fold A-Z only, as PostgreSQL does in UTF-8 databases. */
    private void word() {
        int start = i;
        while (i < n && (isIdentifierPart(sql.charAt(i)) || swallowed(i))) {
            i++;
        }
        StringBuilder folded = new StringBuilder(i - start);
        for (int k = start; k < i; k++) {
            char c = sql.charAt(k);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        add(SqlToken.Kind.WORD, folded.toString(), start, i);
    }

    /**
     * Digits, '_' and '.'. A letter after them starts a token of its own, as in PostgreSQL: {@code 1E'...'} is
     * the number 1 and an E'...' constant. Never a '$', which may open a dollar quote.
     */
    private void number(int from) {
        int start = i;
        i = from;
        while (i < n && (sql.charAt(i) >= '0' && sql.charAt(i) <= '9' || sql.charAt(i) == '_'
                || sql.charAt(i) == '.')) {
            i++;
        }
        add(SqlToken.Kind.NUMBER, sql.substring(start, i), start, i);
    }

    private void add(SqlToken.Kind kind, String text, int start, int end) {
        tokens.add(new SqlToken(kind, text, start, end));
    }

    /** Under a multibyte reading, this backslash or ';' is the second byte of the character before it. */
    private boolean swallowed(int k) {
        char c = sql.charAt(k);
        return reading.multibyteSwallows() && k > 0 && sql.charAt(k - 1) >= 0x80 && (c == '\\' || c == ';');
    }

    private char at(int k) {
        return k < n ? sql.charAt(k) : 0;
    }

    /** PostgreSQL's whitespace: space, tab, newline, carriage return, form feed, vertical tab. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isIdentifierStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9' || c == '$';
    }
}
