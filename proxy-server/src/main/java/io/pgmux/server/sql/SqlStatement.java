package io.pgmux.server.sql;

import java.util.List;

/** The tokens of one statement ({@link SqlLexer}), with the look-ups session-state detection makes. */
public final class SqlStatement {
    /** A possibly qualified name: {@code schema} is null when none was written; {@code next} is the token after. */
    public record Name(String schema, String object, int next) {
        public boolean inTempSchema() {
            return schema != null && schema.startsWith("pg_temp");
        }

        @Override
        public String toString() {
            return schema == null ? object : schema + "." + object;
        }
    }

    private final String sql;
    private final List<SqlToken> tokens;

    SqlStatement(String sql, List<SqlToken> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    public int size() {
        return tokens.size();
    }

    /** The k-th token, or null past the end. */
    public SqlToken token(int k) {
        return k >= 0 && k < tokens.size() ? tokens.get(k) : null;
    }

    /** The k-th token if it is a word (lower case), else "". */
    public String word(int k) {
        SqlToken t = token(k);
        return t != null && t.kind() == SqlToken.Kind.WORD ? t.text() : "";
    }

    public String firstWord() {
        return word(0);
    }

    public boolean isWord(int k, String lowerCase) {
        return word(k).equals(lowerCase);
    }

    public boolean isSymbol(int k, char c) {
        SqlToken t = token(k);
        return t != null && t.isSymbol(c);
    }

    /** Whether the words appear one right after the other somewhere. */
    public boolean hasWords(String first, String second) {
        for (int k = 0; k + 1 < tokens.size(); k++) {
            if (isWord(k, first) && isWord(k + 1, second)) {
                return true;
            }
        }
        return false;
    }

    /** The k-th token as a name (folded if unquoted, as written if quoted), or "" if it is no name. */
    public String identifier(int k) {
        SqlToken t = token(k);
        return t != null && t.isIdentifier() ? t.text() : "";
    }

    /** The name that starts at token k ({@code a}, {@code s.a}, {@code db.s.a}), or null if none does. */
    public Name name(int k) {
        if (identifier(k).isEmpty()) {
            return null;
        }
        String schema = null;
        String object = identifier(k);
        int next = k + 1;
        while (isSymbol(next, '.') && !identifier(next + 1).isEmpty()) {
            schema = object;
            object = identifier(next + 1);
            next += 2;
        }
        return new Name(schema, object, next);
    }

    /** The index of the parenthesis that closes the one at k, or -1. */
    public int closing(int k) {
        int open = 0;
        for (int j = k; j < tokens.size(); j++) {
            if (isSymbol(j, '(')) {
                open++;
            } else if (isSymbol(j, ')') && --open == 0) {
                return j;
            }
        }
        return -1;
    }

    /** The SQL text from token k to the end of the statement, comments inside kept, or "" past the end. */
    public String textFrom(int k) {
        SqlToken first = token(k);
        return first == null ? "" : sql.substring(first.start(), tokens.get(tokens.size() - 1).end());
    }

    /** The statement without its first k tokens (EXPLAIN's statement, say). */
    public SqlStatement from(int k) {
        return new SqlStatement(sql, tokens.subList(Math.min(k, tokens.size()), tokens.size()));
    }

    @Override
    public String toString() {
        return textFrom(0);
    }
}
