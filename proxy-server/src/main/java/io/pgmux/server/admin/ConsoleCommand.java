// One parsed admin console command: a verb and an optional argument.
package io.pgmux.server.admin;

import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.Locale;

/**
 * A console command as PgBouncer reads them: case-insensitive keywords, one optional argument (a database name, a
 * SHOW subject, or the rest of a SET), an optional trailing semicolon. Identifiers in double quotes keep their case.
 *
 * @param verb     upper-case keyword, e.g. {@code SHOW}, {@code PAUSE}
 * @param argument upper-case SHOW subject, the database name for the others, or null when none was given
 */
record ConsoleCommand(String verb, String argument) {

    /**
     * @throws PgException 42601 for an empty command, several commands in one query, or too many words
     */
    static ConsoleCommand parse(String sql) {
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        if (text.contains(";")) {
            throw syntax("one command per query, got \"" + sql.strip() + "\"");
        }
        String[] words = text.split("\\s+", 2);
        String verb = words[0].toUpperCase(Locale.ROOT);
        if (verb.isEmpty()) {
            throw syntax("empty command");
        }
        String rest = words.length > 1 ? words[1].strip() : null;
        if (verb.equals("SET")) {
            return new ConsoleCommand(verb, rest);
        }
        if (rest != null && rest.split("\\s+").length > 1) {
            throw syntax("unexpected words after " + verb + " " + rest.split("\\s+")[0] + ": \"" + sql.strip() + "\"");
        }
        if (rest != null) {
            rest = verb.equals("SHOW") ? rest.toUpperCase(Locale.ROOT) : identifier(rest);
        }
        return new ConsoleCommand(verb, rest);
    }

    static PgException syntax(String message) {
        return new PgException(Severity.ERROR, SqlState.SYNTAX_ERROR, message);
    }

    /** "App" keeps its case in double quotes (doubled quotes inside are one quote); unquoted names are folded. */
    private static String identifier(String word) {
        if (word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"")) {
            return word.substring(1, word.length() - 1).replace("\"\"", "\"");
        }
        return word.toLowerCase(Locale.ROOT);
    }
}
