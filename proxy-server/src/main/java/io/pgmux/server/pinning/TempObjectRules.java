package io.pgmux.server.pinning;

import io.pgmux.server.sql.SqlStatement;
import io.pgmux.server.sql.SqlToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Temporary objects, which live in the session's pg_temp schema: created by CREATE TEMP (any spelling), by naming
 * pg_temp (CREATE TABLE pg_temp.t, CREATE FUNCTION pg_temp.f, SELECT ... INTO pg_temp.t) or by SELECT ... INTO
 * TEMP; dropped by DROP. Tables, views and sequences are pinned under their name, so that DROP can unpin them;
 * any other temporary object is pinned without one and stays pinned until DISCARD TEMP or DISCARD ALL.
 */
final class TempObjectRules {
    /** CREATE [OR REPLACE] [GLOBAL | LOCAL] [TEMP | TEMPORARY] [UNLOGGED] [RECURSIVE] {TABLE | VIEW | SEQUENCE}. */
    private static final Set<String> CREATE_MODIFIERS = Set.of("or", "replace", "global", "local", "temp",
            "temporary", "unlogged", "recursive");
    private static final Set<String> RELATIONS = Set.of("table", "view", "sequence");
    /** SELECT ... INTO [TEMP | TEMPORARY] [UNLOGGED] [TABLE] name. */
    private static final Set<String> INTO_MODIFIERS = Set.of("temp", "temporary", "unlogged", "table");
    /**
     * First words of statements that naming pg_temp cannot make create anything: they read or change rows, or
     * another rule reads them (CREATE, DROP, SET, EXPLAIN's statement). Any other statement that names pg_temp pins.
     */
    private static final Set<String> NO_CREATION = Set.of("select", "values", "table", "with", "insert", "update",
            "delete", "merge", "copy", "truncate", "lock", "show", "fetch", "move", "grant", "revoke", "comment",
            "analyze", "analyse", "vacuum", "reindex", "cluster", "refresh", "notify", "execute", "prepare",
            "explain", "create", "drop", "discard", "deallocate", "close", "begin", "start", "commit", "end",
            "rollback", "abort", "savepoint", "release", "checkpoint");

    private TempObjectRules() {
    }

    static void create(SqlStatement st, List<StateChange> out) {
        int k = 1;
        boolean temp = false;
        while (CREATE_MODIFIERS.contains(st.word(k))) {
            temp |= isTempWord(st.word(k));
            k++;
        }
        if (RELATIONS.contains(st.word(k))) {
            int at = st.isWord(k + 1, "if") && st.isWord(k + 2, "not") && st.isWord(k + 3, "exists") ? k + 4 : k + 1;
            SqlStatement.Name name = st.name(at);
            if (name != null && (temp || name.inTempSchema())) {
                out.add(StateChange.pin(PinReason.TEMP_OBJECT, objectName(name)));
                return;
            }
        }
        if (mentionsTemp(st)) {
            out.add(StateChange.pin(PinReason.TEMP_OBJECT, null)); // an object we cannot name: never undone by DROP
        }
    }

    /** DROP {TABLE | VIEW | SEQUENCE} [IF EXISTS] name [, ...] [CASCADE | RESTRICT]; anything else undoes nothing. */
    static void drop(SqlStatement st, List<StateChange> out) {
        if (!RELATIONS.contains(st.word(1))) {
            return;
        }
        int k = st.isWord(2, "if") && st.isWord(3, "exists") ? 4 : 2;
        List<String> names = new ArrayList<>(1);
        for (SqlStatement.Name name = st.name(k); name != null; name = st.name(k)) {
            names.add(objectName(name));
            k = name.next();
            if (!st.isSymbol(k, ',')) {
                break;
            }
            k++;
        }
        if (k == st.size() || k == st.size() - 1 && (st.isWord(k, "cascade") || st.isWord(k, "restrict"))) {
            names.forEach(name -> out.add(StateChange.unpin(PinReason.TEMP_OBJECT, name)));
        }
    }

    /** SELECT ... INTO TEMP t, INTO pg_temp.t (in any statement but INSERT and MERGE, whose INTO names a target). */
    static void selectInto(SqlStatement st, List<StateChange> out) {
        if (st.isWord(0, "insert") || st.isWord(0, "merge")) {
            return;
        }
        for (int k = 0; k < st.size(); k++) {
            if (!st.isWord(k, "into")) {
                continue;
            }
            int j = k + 1;
            boolean temp = false;
            while (INTO_MODIFIERS.contains(st.word(j))) {
                temp |= isTempWord(st.word(j));
                j++;
            }
            SqlStatement.Name name = st.name(j);
            if (name != null && (temp || name.inTempSchema())) {
                out.add(StateChange.pin(PinReason.TEMP_OBJECT, objectName(name)));
            } else if (temp) {
                out.add(StateChange.pin(PinReason.TEMP_OBJECT, null));
            }
        }
    }

    /**
     * A statement that names pg_temp and may create something there (ALTER, IMPORT FOREIGN SCHEMA ... INTO
     * pg_temp, a first word pgmux does not know), or a SET that puts pg_temp in search_path, after which even
     * CREATE TABLE t creates a temporary table.
     */
    static void tempSchemaNamed(SqlStatement st, List<StateChange> out) {
        String first = st.firstWord();
        if (!NO_CREATION.contains(first) && mentionsTempSchema(st, 0, st.size(), first.equals("set"))) {
            out.add(StateChange.pin(PinReason.TEMP_OBJECT, null));
        }
    }

    /** Whether tokens [from, to) name pg_temp (pg_temp_N too), or with {@code strings} contain it in a constant. */
    static boolean mentionsTempSchema(SqlStatement st, int from, int to, boolean strings) {
        for (int k = from; k < to; k++) {
            SqlToken t = st.token(k);
            if (t.isIdentifier() && t.text().startsWith("pg_temp")
                    || strings && t.kind() == SqlToken.Kind.STRING && t.text().contains("pg_temp")) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsTemp(SqlStatement st) {
        for (int k = 0; k < st.size(); k++) {
            if (isTempWord(st.word(k))) {
                return true;
            }
        }
        return mentionsTempSchema(st, 0, st.size(), false);
    }

    private static boolean isTempWord(String word) {
        return word.equals("temp") || word.equals("temporary");
    }

    /**
     * The name a temp relation is pinned under. Only the alias pg_temp certainly means this session's schema:
     * pg_temp_N may be another session's, so a DROP naming it must not unpin anything of ours.
     */
    private static String objectName(SqlStatement.Name name) {
        return name.schema() == null || name.schema().equals("pg_temp") ? name.object() : name.toString();
    }
}
