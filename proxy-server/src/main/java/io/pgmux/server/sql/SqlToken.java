package io.pgmux.server.sql;

/**
 * One token of SQL text as {@link SqlLexer} reads it.
 *
 * @param kind  what it is
 * @param text  for {@link Kind#WORD} the word lower-cased as PostgreSQL folds unquoted names (ASCII letters only);
 *              for {@link Kind#QUOTED} and {@link Kind#STRING} the value, quotes and escapes resolved; otherwise the
 *              characters as written
 * @param start index of its first character in the SQL text
 * @param end   index just past its last character
 */
public record SqlToken(Kind kind, String text, int start, int end) {
    public enum Kind {
        /** A keyword or an unquoted identifier. */
        WORD,
        /** A quoted identifier: {@code "..."} or {@code U&"..."}. */
        QUOTED,
        /** A string constant: {@code '...'}, {@code E'...'}, {@code U&'...'}, {@code $tag$...$tag$}. */
        STRING,
        /** A number or a parameter ({@code $1}). */
        NUMBER,
        /** Any other character, one per token: parentheses, commas, dots, operators. */
        SYMBOL
    }

    boolean isWord(String lowerCase) {
        return kind == Kind.WORD && text.equals(lowerCase);
    }

    boolean isSymbol(char c) {
        return kind == Kind.SYMBOL && text.charAt(0) == c;
    }

    /** A name PostgreSQL would look up: a keyword-like word or a quoted identifier. */
    public boolean isIdentifier() {
        return kind == Kind.WORD || kind == Kind.QUOTED;
    }
}
