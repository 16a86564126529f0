package io.pgmux.server.pinning;

import io.pgmux.server.sql.SqlStatement;
import io.pgmux.server.sql.SqlToken;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Run-time parameters: SET and RESET, calls of set_config() anywhere in a statement, and UPDATE of pg_settings
 * (which calls set_config). Parameters the server reports never pin: pgmux follows them from ParameterStatus.
 * The role is apart: RESET ALL leaves it as it is, so only RESET ROLE, RESET SESSION AUTHORIZATION or DISCARD ALL
 * unpin it.
 */
final class SettingRules {
    private static final Set<String> ROLE_PARAMETERS = Set.of("role", "session_authorization");

    private SettingRules() {
    }

    /** SET LOCAL and SET TRANSACTION end with the transaction; reported parameters follow the client anyway. */
    static void set(SqlStatement st, Set<String> reported, Set<String> tracked, List<StateChange> out) {
        if (st.isWord(1, "local") || st.isWord(1, "transaction")) {
            return;
        }
        int k = st.isWord(1, "session") ? 2 : 1;
        if (st.isWord(k, "time") && st.isWord(k + 1, "zone")) {
            if (!reported.contains("timezone")) { // SET TIME ZONE: TimeZone is reported
                out.add(StateChange.pin(PinReason.UNTRACKED_SET, "timezone"));
            }
            return;
        }
        if (k == 2 && st.isWord(2, "authorization")) {
            out.add(StateChange.pin(PinReason.SET_ROLE, "session_authorization"));
            return;
        }
        SqlStatement.Name name = st.name(k);
        if (name == null || !st.isWord(name.next(), "to") && !st.isSymbol(name.next(), '=')) {
            // SET ROLE x, SET NAMES, SET SCHEMA, SET SESSION CHARACTERISTICS, SET CONSTRAINTS, SET x FROM CURRENT
            String what = name == null ? st.word(k) : parameter(name);
            out.add(StateChange.pin(ROLE_PARAMETERS.contains(what) ? PinReason.SET_ROLE : PinReason.UNTRACKED_SET,
                    what));
            return;
        }
        set(parameter(name), st, name.next() + 1, reported, tracked, out);
    }

    private static void set(String parameter, SqlStatement st, int valueAt, Set<String> reported,
                            Set<String> tracked, List<StateChange> out) {
        if (ROLE_PARAMETERS.contains(parameter)) {
            out.add(StateChange.pin(PinReason.SET_ROLE, parameter));
        } else if (reported.contains(parameter)) {
            return;
        } else if (tracked.contains(parameter) && !TempObjectRules.mentionsTempSchema(st, 0, st.size(), true)) {
            out.add(new StateChange(StateChange.Kind.TRACKED_SET, null, parameter, st.textFrom(valueAt)));
        } else {
            // A search_path with pg_temp is not replayed elsewhere: it keeps the backend, as its temp objects do.
            out.add(StateChange.pin(PinReason.UNTRACKED_SET, parameter));
        }
    }

    /** RESET ALL leaves the role and values set with set_config (whose name pgmux may not know) pinned. */
    static void reset(SqlStatement st, Set<String> reported, Set<String> tracked, List<StateChange> out) {
        if (st.isWord(1, "all")) {
            out.add(StateChange.unpinAll(PinReason.UNTRACKED_SET));
            out.add(new StateChange(StateChange.Kind.TRACKED_SET, null, null, "DEFAULT"));
            return;
        }
        String parameter;
        if (st.isWord(1, "session") && st.isWord(2, "authorization")) {
            parameter = "session_authorization";
        } else if (st.isWord(1, "time") && st.isWord(2, "zone")) {
            parameter = "timezone";
        } else {
            SqlStatement.Name name = st.name(1);
            if (name == null) {
                return;
            }
            parameter = parameter(name);
        }
        if (ROLE_PARAMETERS.contains(parameter)) {
            out.add(StateChange.unpin(PinReason.SET_ROLE, parameter));
        } else if (!reported.contains(parameter)) {
            out.add(StateChange.unpin(PinReason.UNTRACKED_SET, parameter));
            out.add(StateChange.unpin(PinReason.SET_CONFIG, parameter));
            if (tracked.contains(parameter)) {
                out.add(new StateChange(StateChange.Kind.TRACKED_SET, null, parameter, "DEFAULT"));
            }
        }
    }

    /**
     * set_config(name, value, is_local) anywhere in a statement pins unless is_local is the literal true. A name
     * that is not a literal may be anything, the role included: it pins without a name, until DISCARD ALL.
     */
    static void setConfigCalls(SqlStatement st, Set<String> reported, List<StateChange> out) {
        for (int k = 0; k + 1 < st.size(); k++) {
            if (!st.identifier(k).equals("set_config") || !st.isSymbol(k + 1, '(')) {
                continue;
            }
            int close = st.closing(k + 1);
            int[] commas = topLevelCommas(st, k + 1, close < 0 ? st.size() : close);
            int end = close < 0 ? st.size() : close;
            String parameter = commas.length >= 1 ? literal(st, k + 2, commas[0]) : null;
            if (commas.length == 2 && TempObjectRules.mentionsTempSchema(st, commas[0] + 1, commas[1], true)) {
                out.add(StateChange.pin(PinReason.TEMP_OBJECT, null)); // search_path with pg_temp, local or not
            }
            boolean local = commas.length == 2 && commas[1] + 2 == end && st.isWord(commas[1] + 1, "true");
            if (local || parameter != null && reported.contains(parameter)) {
                continue;
            }
            PinReason reason = parameter != null && ROLE_PARAMETERS.contains(parameter) ? PinReason.SET_ROLE
                    : PinReason.SET_CONFIG;
            out.add(StateChange.pin(reason, parameter));
        }
    }

    /** UPDATE pg_settings SET setting = ... is a set_config(name, setting, false) per row. */
    static void settingsUpdate(SqlStatement st, List<StateChange> out) {
        boolean update = false;
        boolean settings = false;
        for (int k = 0; k < st.size(); k++) {
            update |= st.isWord(k, "update");
            settings |= st.identifier(k).equals("pg_settings");
        }
        if (update && settings) {
            out.add(StateChange.pin(PinReason.SET_CONFIG, null));
        }
    }

    /** Indexes of the commas between the arguments of the call whose '(' is at {@code open}, before {@code end}. */
    private static int[] topLevelCommas(SqlStatement st, int open, int end) {
        int[] found = new int[3];
        int count = 0;
        int depth = 0;
        for (int k = open + 1; k < end && count < found.length; k++) {
            if (st.isSymbol(k, '(') || st.isSymbol(k, '[')) {
                depth++;
            } else if (st.isSymbol(k, ')') || st.isSymbol(k, ']')) {
                depth--;
            } else if (depth == 0 && st.isSymbol(k, ',')) {
                found[count++] = k;
            }
        }
        return Arrays.copyOf(found, count);
    }

    /** The lower-cased value of tokens [from, to) when they are exactly one string constant, else null. */
    private static String literal(SqlStatement st, int from, int to) {
        SqlToken t = st.token(from);
        return to == from + 1 && t != null && t.kind() == SqlToken.Kind.STRING ? t.text().toLowerCase(Locale.ROOT)
                : null;
    }

    /** Parameter names are case-insensitive, quoted or not. */
    private static String parameter(SqlStatement.Name name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }
}
