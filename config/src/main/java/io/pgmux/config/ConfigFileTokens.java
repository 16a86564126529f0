// Splits a line of pg_hba.conf or userlist.txt into tokens, honouring double quotes.
package io.pgmux.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizer shared by the hba and auth file parsers: tokens are separated by blanks, {@code "..."} quotes a token
 * (with {@code ""} for a quote inside), and {@code #} outside quotes starts a comment. A token that was quoted is
 * marked so a quoted {@code "all"} can mean a user called all, as in PostgreSQL.
 */
final class ConfigFileTokens {

    /** One token; {@code quoted} when any part of it was in quotes. */
    record Token(String text, boolean quoted) {
    }

    private ConfigFileTokens() {
    }

    /** @throws ConfigException for an unterminated quote, naming {@code where} */
    static List<Token> split(String line, String where) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inToken = false;
        boolean quoted = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                int end = closingQuote(line, i + 1, where);
                current.append(line.substring(i + 1, end).replace("\"\"", "\""));
                inToken = true;
                quoted = true;
                i = end + 1;
                continue;
            }
            if (c == '#' || Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(new Token(current.toString(), quoted));
                    current.setLength(0);
                    inToken = false;
                    quoted = false;
                }
                if (c == '#') {
                    break;
                }
            } else {
                current.append(c);
                inToken = true;
            }
            i++;
        }
        if (inToken) {
            tokens.add(new Token(current.toString(), quoted));
        }
        return tokens;
    }

    private static int closingQuote(String line, int from, String where) {
        int i = from;
        while (i < line.length()) {
            if (line.charAt(i) == '"') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new ConfigException(where + ": unterminated quoted string");
    }
}
