package io.pgmux.server;

import java.util.Locale;
import java.util.Set;

/**
 * Spots SQL that creates session state a shared backend cannot carry from one client to the next. A keyword scan
 * over each ';'-separated piece, never a parser: it may pin where it need not (a keyword inside a string
 * literal), which costs sharing but never correctness.
 */
final class SessionStateDetector {
    private SessionStateDetector() {
    }

    /**
     * The first reason {@code sql} pins its backend, or null when it leaves no session state behind.
     *
     * @param reported lower-case names of the parameters the backend reports with ParameterStatus: pgmux sees
     *                 their new values and carries them to the client's next backend, so setting them needs no pin
     */
    static PinReason scan(String sql, Set<String> reported) {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (lower.contains("pg_advisory_lock") || lower.contains("pg_try_advisory_lock")) {
            return PinReason.ADVISORY_LOCK;
        }
        for (String piece : lower.split(";")) {
            PinReason reason = scanStatement(skipSpaceAndComments(piece), reported);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static PinReason scanStatement(String s, Set<String> reported) {
        if (startsWithWord(s, "prepare") && !startsWithWord(s.substring(7).stripLeading(), "transaction")) {
            return PinReason.SQL_PREPARE;
        }
        if (startsWithWord(s, "listen")) {
            return PinReason.LISTEN;
        }
        if (startsWithWord(s, "declare") && s.matches("(?s).*\\bwith\\s+hold\\b.*")) {
            return PinReason.CURSOR_WITH_HOLD;
        }
        if (startsWithWord(s, "create") && s.matches("(?s)create\\s+(or\\s+replace\\s+)?((global|local)\\s+)?temp(orary)?\\b.*")) {
            return PinReason.TEMP_OBJECT;
        }
        if (startsWithWord(s, "load")) {
            return PinReason.LOAD;
        }
        if (startsWithWord(s, "set") || startsWithWord(s, "reset")) {
            return untrackedSet(s, reported);
        }
        return null;
    }

    /** SET LOCAL and SET TRANSACTION end with the transaction; reported parameters follow the client. */
    private static PinReason untrackedSet(String s, Set<String> reported) {
        String[] words = s.split("[\\s=]+", 4);
        if (words.length < 2) {
            return PinReason.UNTRACKED_SET;
        }
        String name = words[1];
        if (name.equals("session") && words.length > 2) {
            name = words[2];
        }
        if (name.equals("local") || name.equals("transaction") || reported.contains(name.replace("\"", ""))) {
            return null;
        }
        return PinReason.UNTRACKED_SET;
    }

    /** DISCARD resets every parameter to the backend's defaults, including those pgmux applied for the client. */
    static boolean discardsSession(String sql) {
        return startsWithWord(skipSpaceAndComments(sql.toLowerCase(Locale.ROOT)), "discard");
    }

    private static boolean startsWithWord(String s, String word) {
        return s.startsWith(word) && (s.length() == word.length() || !Character.isLetterOrDigit(s.charAt(word.length()))
                && s.charAt(word.length()) != '_');
    }

    static String skipSpaceAndComments(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("--", i)) {
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? s.length() : eol + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else {
                break;
            }
        }
        return s.substring(i);
    }
}
