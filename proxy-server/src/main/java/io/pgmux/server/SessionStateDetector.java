package io.pgmux.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the session-state effects of client SQL: what makes a shared backend unsafe to share (and why), and what
 * undoes it. A keyword scan over each ';'-separated piece, never a parser: it may pin where it need not (a
 * keyword inside a string literal), which costs sharing but never correctness. Statements that start with none
 * of the keywords cost one lower-casing and a few prefix checks.
 */
final class SessionStateDetector {
    private static final Pattern TEMP_OBJECT = Pattern.compile(
            "(?s)create\\s+(?:or\\s+replace\\s+)?(?:(?:global|local)\\s+)?temp(?:orary)?\\s+"
                    + "(?:unlogged\\s+)?(?:table|view|sequence)\\s+(?:if\\s+not\\s+exists\\s+)?([^\\s(]+).*");
    private static final Pattern TEMP_ANY = Pattern.compile(
            "(?s)create\\s+(?:or\\s+replace\\s+)?(?:(?:global|local)\\s+)?temp(?:orary)?\\b.*");
    private static final Pattern DROP = Pattern.compile(
            "(?s)drop\\s+(?:table|view|sequence)\\s+(?:if\\s+exists\\s+)?([^;]+?)(?:\\s+(?:cascade|restrict))?\\s*");
    private static final Pattern WITH_HOLD = Pattern.compile("(?s)declare\\s+(\\S+)\\s.*\\bwith\\s+hold\\b.*");
    private static final Pattern SET = Pattern.compile("(?s)set\\s+(?:session\\s+)?([a-z_][a-z0-9_.]*|\"[^\"]+\")"
            + "\\s*(?:to|=)\\s*(.+?)\\s*", Pattern.CASE_INSENSITIVE);

    private SessionStateDetector() {
    }

    /**
     * The session-state effects of {@code sql}, in order.
     *
     * @param reported lower-case names of the parameters the backend reports with ParameterStatus: their SETs
     *                 need no pin, pgmux sees the new values
     * @param tracked  lower-case names from track_extra_parameters: their SETs need no pin either
     */
    static List<StateChange> changes(String sql, Set<String> reported, Set<String> tracked) {
        String lower = sql.toLowerCase(Locale.ROOT);
        List<StateChange> changes = new ArrayList<>(1);
        if (lower.contains("pg_advisory_lock") || lower.contains("pg_try_advisory_lock")) {
            changes.add(StateChange.pin(PinReason.ADVISORY_LOCK, null));
        }
        if (lower.contains("pg_advisory_unlock_all")) {
            changes.add(StateChange.unpinAll(PinReason.ADVISORY_LOCK));
        }
        for (String piece : sql.split(";")) {
            String original = skipSpaceAndComments(piece).strip();
            statement(original.toLowerCase(Locale.ROOT), original, reported, tracked, changes);
        }
        return changes;
    }

    /** The first pin reason in {@code sql}, or null: a convenience for callers that only need to know whether. */
    static PinReason scan(String sql, Set<String> reported) {
        for (StateChange change : changes(sql, reported, Set.of())) {
            if (change.kind() == StateChange.Kind.PIN) {
                return change.reason();
            }
        }
        return null;
    }

    /** {@code s} is the lower-cased {@code original}; values are taken from the original to keep their case. */
    private static void statement(String s, String original, Set<String> reported, Set<String> tracked,
                                  List<StateChange> out) {
        if (s.isEmpty()) {
            return;
        }
        switch (firstWord(s)) {
            case "prepare" -> {
                String name = word(s, 1);
                if (!name.equals("transaction")) {
                    out.add(StateChange.pin(PinReason.SQL_PREPARE, name));
                }
            }
            case "deallocate" -> {
                String name = word(s, 1).equals("prepare") ? word(s, 2) : word(s, 1);
                out.add(name.equals("all") ? StateChange.unpinAll(PinReason.SQL_PREPARE)
                        : StateChange.unpin(PinReason.SQL_PREPARE, name));
                if (name.equals("all")) {
                    out.add(StateChange.unpinAll(PinReason.NAMED_PREPARED_STATEMENT));
                }
            }
            case "listen" -> out.add(StateChange.pin(PinReason.LISTEN, word(s, 1)));
            case "unlisten" -> out.add(word(s, 1).equals("*") ? StateChange.unpinAll(PinReason.LISTEN)
                    : StateChange.unpin(PinReason.LISTEN, word(s, 1)));
            case "declare" -> {
                Matcher m = WITH_HOLD.matcher(s);
                if (m.matches()) {
                    out.add(StateChange.pin(PinReason.CURSOR_WITH_HOLD, unquote(m.group(1))));
                }
            }
            case "close" -> out.add(word(s, 1).equals("all") ? StateChange.unpinAll(PinReason.CURSOR_WITH_HOLD)
                    : StateChange.unpin(PinReason.CURSOR_WITH_HOLD, word(s, 1)));
            case "create" -> createTemp(s, out);
            case "drop" -> dropTemp(s, out);
            case "load" -> out.add(StateChange.pin(PinReason.LOAD, null));
            case "set" -> set(s, original, reported, tracked, out);
            case "reset" -> {
                String name = unquote(word(s, 1));
                if (name.equals("all")) {
                    out.add(StateChange.unpinAll(PinReason.UNTRACKED_SET));
                    out.add(new StateChange(StateChange.Kind.TRACKED_SET, null, null, "DEFAULT"));
                } else if (tracked.contains(name)) {
                    out.add(new StateChange(StateChange.Kind.TRACKED_SET, null, name, "DEFAULT"));
                } else if (!reported.contains(name)) {
                    out.add(StateChange.unpin(PinReason.UNTRACKED_SET, name));
                }
            }
            case "discard" -> {
                if (word(s, 1).equals("all")) {
                    out.add(new StateChange(StateChange.Kind.DISCARD_ALL, null, null, null));
                } else if (word(s, 1).startsWith("temp")) {
                    out.add(StateChange.unpinAll(PinReason.TEMP_OBJECT));
                }
            }
            default -> {
            }
        }
    }

    private static void createTemp(String s, List<StateChange> out) {
        Matcher named = TEMP_OBJECT.matcher(s);
        if (named.matches()) {
            out.add(StateChange.pin(PinReason.TEMP_OBJECT, objectName(named.group(1))));
        } else if (TEMP_ANY.matcher(s).matches()) {
            out.add(StateChange.pin(PinReason.TEMP_OBJECT, null)); // a temp object we cannot name: never undone
        }
    }

    private static void dropTemp(String s, List<StateChange> out) {
        Matcher m = DROP.matcher(s);
        if (m.matches()) {
            for (String name : m.group(1).split(",")) {
                out.add(StateChange.unpin(PinReason.TEMP_OBJECT, objectName(name.strip())));
            }
        }
    }

    /** SET LOCAL and SET TRANSACTION end with the transaction; reported parameters follow the client anyway. */
    private static void set(String s, String original, Set<String> reported, Set<String> tracked,
                            List<StateChange> out) {
        String second = word(s, 1);
        if (second.equals("local") || second.equals("transaction")
                || second.equals("time") && reported.contains("timezone")) { // SET TIME ZONE: TimeZone is reported
            return;
        }
        Matcher m = SET.matcher(original);
        if (!m.matches()) {
            out.add(StateChange.pin(PinReason.UNTRACKED_SET, second)); // SET ROLE, SET SESSION AUTHORIZATION, ...
            return;
        }
        String name = unquote(m.group(1).toLowerCase(Locale.ROOT));
        if (reported.contains(name)) {
            return;
        }
        if (tracked.contains(name)) {
            out.add(new StateChange(StateChange.Kind.TRACKED_SET, null, name, m.group(2)));
        } else {
            out.add(StateChange.pin(PinReason.UNTRACKED_SET, name));
        }
    }

    /** DISCARD resets every parameter to the backend's defaults, including those pgmux applied for the client. */
    static boolean discardsSession(String sql) {
        return firstWord(skipSpaceAndComments(sql.toLowerCase(Locale.ROOT))).equals("discard");
    }

    private static String objectName(String qualified) {
        String name = unquote(qualified);
        return name.startsWith("pg_temp.") ? name.substring("pg_temp.".length()) : name;
    }

    private static String unquote(String name) {
        return name.replace("\"", "");
    }

    private static String firstWord(String s) {
        return word(s, 0);
    }

    /** The n-th whitespace-separated word, without a trailing comma or parenthesis; "" when there is none. */
    private static String word(String s, int n) {
        String[] words = s.split("\\s+", n + 2);
        if (words.length <= n) {
            return "";
        }
        String w = words[n];
        int cut = w.length();
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c == '(' || c == ',' || c == '=') {
                cut = i;
                break;
            }
        }
        return w.substring(0, cut);
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
