package io.pgmux.server.pinning;

import io.pgmux.server.sql.SqlLexer;
import io.pgmux.server.sql.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the session-state effects of client SQL: what makes a shared backend unsafe to share (and why), and what
 * undoes it, statement by statement in order. The text is split and tokenised by PostgreSQL's lexical rules
 * ({@link SqlLexer}), so comments, quotes and dollar quotes neither hide a statement nor fake one, but it is not
 * parsed: the rules read words. Where they cannot tell, they pin: a keyword inside a string constant may cost
 * sharing, but a statement that may create state is never let through, and an undo is only believed where it
 * certainly runs.
 *
 * <p>What no text reveals is what functions do: {@code SELECT f()} where f calls set_config or creates a temp
 * table cannot be recognised (see docs/architecture.md, "Pinning").
 */
public final class SessionStateDetector {
    private static final Set<String> EXPLAIN_OPTIONS = Set.of("analyze", "analyse", "verbose");

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
        List<SqlLexer.Reading> readings = SqlLexer.readings(sql);
        List<StateChange> changes = changes(SqlLexer.of(sql, readings.get(0)), reported, tracked);
        for (int k = 1; k < readings.size(); k++) {
            if (!changes(SqlLexer.of(sql, readings.get(k)), reported, tracked).equals(changes)) {
                return pinsOfEveryReading(sql, readings, reported, tracked);
            }
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

    /**
     * Whether {@code sql} may leave state in the session beyond its transaction, any SET included: for holders that
     * cannot pin (a request of the HTTP endpoint), whose backend is then reset before it is lent again.
     */
    public static boolean leavesSessionState(String sql) {
        return scan(sql, Set.of()) != null;
    }

    /** DISCARD resets every parameter to the backend's defaults, including those pgmux applied for the client. */
    static boolean discardsSession(String sql) {
        SqlStatement first = SqlLexer.of(sql, SqlLexer.Reading.STANDARD).next();
        return first != null && first.isWord(0, "discard");
    }

    private static List<StateChange> changes(SqlLexer lexer, Set<String> reported, Set<String> tracked) {
        List<StateChange> out = new ArrayList<>(1);
        for (SqlStatement st = lexer.next(); st != null; st = lexer.next()) {
            statement(st, reported, tracked, out);
        }
        if (lexer.nested()) {
            out.removeIf(SessionStateDetector::isUndo); // the undo may be a statement of a body, which does not run
        }
        return out;
    }

    /**
     * The text reads differently depending on settings pgmux does not follow (a backslash in a string constant):
     * what any reading creates pins, a tracked SET pins too (its value may be misread), and nothing is undone.
     */
    private static List<StateChange> pinsOfEveryReading(String sql, List<SqlLexer.Reading> readings,
                                                        Set<String> reported, Set<String> tracked) {
        List<StateChange> pins = new ArrayList<>();
        for (SqlLexer.Reading reading : readings) {
            for (StateChange change : changes(SqlLexer.of(sql, reading), reported, tracked)) {
                StateChange pin = change.kind() == StateChange.Kind.PIN ? change
                        : change.kind() == StateChange.Kind.TRACKED_SET && change.name() != null
                        ? StateChange.pin(PinReason.UNTRACKED_SET, change.name()) : null;
                if (pin != null && !pins.contains(pin)) {
                    pins.add(pin);
                }
            }
        }
        return pins;
    }

    private static void statement(SqlStatement st, Set<String> reported, Set<String> tracked,
                                  List<StateChange> out) {
        int before = out.size();
        switch (st.firstWord()) {
            case "prepare" -> {
                if (!st.isWord(1, "transaction")) {
                    out.add(StateChange.pin(PinReason.SQL_PREPARE, st.identifier(1)));
                }
            }
            case "deallocate" -> {
                int k = st.isWord(1, "prepare") ? 2 : 1;
                if (st.isWord(k, "all")) {
                    out.add(StateChange.unpinAll(PinReason.SQL_PREPARE));
                    out.add(StateChange.unpinAll(PinReason.NAMED_PREPARED_STATEMENT));
                } else {
                    out.add(StateChange.unpin(PinReason.SQL_PREPARE, st.identifier(k)));
                }
            }
            case "listen" -> out.add(StateChange.pin(PinReason.LISTEN, st.identifier(1)));
            case "unlisten" -> out.add(st.isSymbol(1, '*') ? StateChange.unpinAll(PinReason.LISTEN)
                    : StateChange.unpin(PinReason.LISTEN, st.identifier(1)));
            case "declare" -> {
                if (st.hasWords("with", "hold")) {
                    out.add(StateChange.pin(PinReason.CURSOR_WITH_HOLD, st.identifier(1)));
                }
            }
            case "close" -> out.add(st.isWord(1, "all") ? StateChange.unpinAll(PinReason.CURSOR_WITH_HOLD)
                    : StateChange.unpin(PinReason.CURSOR_WITH_HOLD, st.identifier(1)));
            case "create" -> TempObjectRules.create(st, out);
            case "drop" -> TempObjectRules.drop(st, out);
            case "load" -> out.add(StateChange.pin(PinReason.LOAD, null));
            case "set" -> SettingRules.set(st, reported, tracked, out);
            case "reset" -> SettingRules.reset(st, reported, tracked, out);
            case "discard" -> discard(st, out);
            case "do" -> out.add(StateChange.pin(PinReason.DO_BLOCK, null)); // arbitrary code
            case "call" -> {
                SqlStatement.Name procedure = st.name(1);
                out.add(StateChange.pin(PinReason.PROCEDURE_CALL, procedure == null ? null : procedure.toString()));
            }
            case "explain" -> {
                explain(st, reported, tracked, out);
                return;
            }
            default -> {
            }
        }
        SettingRules.setConfigCalls(st, reported, out);
        SettingRules.settingsUpdate(st, out);
        TempObjectRules.selectInto(st, out);
        TempObjectRules.tempSchemaNamed(st, out);
        advisoryLocks(st, out);
        if (st.isWord(0, "prepare") && out.subList(before, out.size()).stream()
                .anyMatch(c -> c.kind() == StateChange.Kind.PIN && c.reason() != PinReason.SQL_PREPARE)) {
            // Each EXECUTE creates the state again, after whatever undid it: only DISCARD ALL is sure to end it.
            out.add(StateChange.pin(PinReason.PREPARED_EFFECTS, st.identifier(1)));
        }
    }

    private static void discard(SqlStatement st, List<StateChange> out) {
        if (st.isWord(1, "all")) {
            out.add(new StateChange(StateChange.Kind.DISCARD_ALL, null, null, null));
        } else if (st.isWord(1, "temp") || st.isWord(1, "temporary")) {
            out.add(StateChange.unpinAll(PinReason.TEMP_OBJECT));
        }
    }

    /**
     * EXPLAIN ANALYZE runs its statement (CREATE TABLE AS, SELECT INTO, ...): what that statement creates pins.
     * Its undos are not believed, since without ANALYZE nothing runs.
     */
    private static void explain(SqlStatement st, Set<String> reported, Set<String> tracked,
                                List<StateChange> out) {
        int k = 1;
        if (st.isSymbol(1, '(')) {
            int close = st.closing(1);
            k = close < 0 ? st.size() : close + 1;
        } else {
            while (EXPLAIN_OPTIONS.contains(st.word(k))) {
                k++;
            }
        }
        List<StateChange> inner = new ArrayList<>(1);
        statement(st.from(k), reported, tracked, inner);
        inner.stream().filter(c -> c.kind() == StateChange.Kind.PIN).forEach(out::add);
    }

    /** Session-level advisory locks (not the _xact_ ones, which end with the transaction). */
    private static void advisoryLocks(SqlStatement st, List<StateChange> out) {
        for (int k = 0; k < st.size(); k++) {
            String name = st.identifier(k);
            if (name.startsWith("pg_advisory_lock") || name.startsWith("pg_try_advisory_lock")) {
                out.add(StateChange.pin(PinReason.ADVISORY_LOCK, null));
                return;
            }
        }
        if (isUnlockAll(st)) {
            out.add(StateChange.unpinAll(PinReason.ADVISORY_LOCK));
        }
    }

    /**
     * Only {@code SELECT [pg_catalog.]pg_advisory_unlock_all()} on its own is believed: elsewhere the call may
     * not run (WHERE false, CASE, a view or function body being defined).
     */
    private static boolean isUnlockAll(SqlStatement st) {
        int k = st.identifier(1).equals("pg_catalog") && st.isSymbol(2, '.') ? 3 : 1;
        return st.isWord(0, "select") && st.identifier(k).equals("pg_advisory_unlock_all") && st.isSymbol(k + 1, '(')
                && st.isSymbol(k + 2, ')') && st.size() == k + 3;
    }

    private static boolean isUndo(StateChange change) {
        return change.kind() == StateChange.Kind.UNPIN || change.kind() == StateChange.Kind.UNPIN_ALL
                || change.kind() == StateChange.Kind.DISCARD_ALL;
    }
}
