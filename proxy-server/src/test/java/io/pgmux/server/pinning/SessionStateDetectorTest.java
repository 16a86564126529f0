package io.pgmux.server.pinning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionStateDetectorTest {
    private static final Set<String> REPORTED = Set.of("application_name", "timezone", "datestyle");

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "PREPARE q AS SELECT 1 | SQL_PREPARE",
            "  /* hi */ listen chan | LISTEN",
            "DECLARE c CURSOR WITH HOLD FOR SELECT 1 | CURSOR_WITH_HOLD",
            "create temporary table t (x int) | TEMP_OBJECT",
            "CREATE TEMP VIEW v AS SELECT 1 | TEMP_OBJECT",
            "create global temp table t (x int) | TEMP_OBJECT",
            "SELECT pg_advisory_lock(1) | ADVISORY_LOCK",
            "select pg_try_advisory_lock_shared(1) | ADVISORY_LOCK",
            "LOAD 'auto_explain' | LOAD",
            "SET search_path = x | UNTRACKED_SET",
            "SET SESSION statement_timeout TO 5 | UNTRACKED_SET",
            "SET ROLE someone | SET_ROLE",
            "SET SESSION AUTHORIZATION someone | SET_ROLE",
            "SELECT 1; SET work_mem = '1MB' | UNTRACKED_SET",
            // temp objects in every spelling
            "CREATE TABLE pg_temp.t AS SELECT 'A-secret'::text v | TEMP_OBJECT",
            "create table \"pg_temp\".x (a int) | TEMP_OBJECT",
            "CREATE TABLE U&\"pg\\005ftemp\".t (x int) | TEMP_OBJECT",
            "CREATE TABLE U&\"pg!005ftemp\" UESCAPE '!' .t (x int) | TEMP_OBJECT",
            "CREATE SEQUENCE pg_temp.s | TEMP_OBJECT",
            "CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1' | TEMP_OBJECT",
            "CREATE TYPE pg_temp.ty AS (a int) | TEMP_OBJECT",
            "CREATE INDEX i ON pg_temp.t (x) | TEMP_OBJECT",
            "CREATE OR REPLACE TEMP RECURSIVE VIEW v (n) AS SELECT 1 | TEMP_OBJECT",
            "CrEaTe TeMp TaBlE t (x int) | TEMP_OBJECT",
            "CREATE /* c */ TEMP TABLE t (x int) | TEMP_OBJECT",
            "/* a /* nested */ b */ create temp table t (x int) | TEMP_OBJECT",
            "/* ; */ CREATE TEMP TABLE t (x int) | TEMP_OBJECT",
            "SELECT 1 AS v INTO TEMP t | TEMP_OBJECT",
            "select 1 into temporary table t | TEMP_OBJECT",
            "SELECT 1 INTO pg_temp.t | TEMP_OBJECT",
            "(SELECT 1 INTO TEMP t) | TEMP_OBJECT",
            "WITH a AS (SELECT 1) SELECT * INTO TEMPORARY t FROM a | TEMP_OBJECT",
            "EXPLAIN ANALYZE CREATE TABLE pg_temp.t AS SELECT 1 | TEMP_OBJECT",
            "EXPLAIN (ANALYZE, BUFFERS) CREATE TEMP TABLE t AS SELECT 1 | TEMP_OBJECT",
            "SET LOCAL search_path = pg_temp | TEMP_OBJECT",
            "SELECT set_config('search_path', 'public, pg_temp', true) | TEMP_OBJECT",
            "SELECT set_config('search_path', E'pg\\x5ftemp', true) | TEMP_OBJECT",
            "IMPORT FOREIGN SCHEMA s FROM SERVER x INTO pg_temp | TEMP_OBJECT",
            // set_config unless its third argument is the literal true
            "SELECT set_config('statement_timeout','2',false) | SET_CONFIG",
            "SELECT pg_catalog.set_config('work_mem','11MB',false) | SET_CONFIG",
            "select SET_CONFIG('work_mem', '11MB', FALSE) | SET_CONFIG",
            "SELECT set_config('work_mem', '11MB', (1=2)) | SET_CONFIG",
            "SELECT set_config('work_mem', '11MB', current_setting('x') = 'y') | SET_CONFIG",
            "SELECT set_config('work_mem', '11MB', true OR false) | SET_CONFIG",
            "SELECT set_config($1, $2, $3) | SET_CONFIG",
            "SELECT \"pg_catalog\".\"set_config\" /* c */ ( 'work_mem' , '1MB' , false ) | SET_CONFIG",
            "SELECT 1 FROM set_config('work_mem', '1MB', true), set_config('work_mem', '1MB', false) | SET_CONFIG",
            "SELECT set_config(U&'work\\005fmem', '1MB', false) | SET_CONFIG",
            "UPDATE pg_settings SET setting = '11MB' WHERE name = 'work_mem' | SET_CONFIG",
            "SELECT set_config('role', 'someone', false) | SET_ROLE",
            // arbitrary code
            "DO $$BEGIN PERFORM set_config('search_path','x',false); END$$ | DO_BLOCK",
            "do language plpgsql $body$ begin null; end $body$ | DO_BLOCK",
            "CALL some_procedure() | PROCEDURE_CALL",
            // multi-statement strings in any order
            "RESET ALL; SET lock_timeout = 5 | UNTRACKED_SET",
            "SELECT $$;$$; CREATE TEMP TABLE t (x int) | TEMP_OBJECT",
            "SELECT $a$ $$; $a$; SET work_mem = 1 | UNTRACKED_SET",
            "SELECT 'it''s;'; SET work_mem = 1 | UNTRACKED_SET",
            "SELECT \"a;\"\"b\" FROM t; SET work_mem = 1 | UNTRACKED_SET",
            "SELECT E'\\\\'; SET work_mem = 1 | UNTRACKED_SET",
    })
    void pins(String sql, PinReason expected) {
        assertThat(SessionStateDetector.scan(sql, REPORTED)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-- c\ncreate temp table t (x int)", "SELECT 1 --- x ; y\n; SET work_mem = 1",
            "SELECT 1;\n\tDO $$ begin end $$", "select 1\r\n;\fcall p()"})
    void linesAndCommentsAreReadAsPostgresqlReadsThem(String sql) {
        assertThat(SessionStateDetector.scan(sql, REPORTED)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1", "SET application_name = 'x'", "set TimeZone to 'UTC'", "SET LOCAL work_mem = '1MB'",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "PREPARE TRANSACTION 'gid'",
            "DECLARE c CURSOR FOR SELECT 1", "SELECT pg_advisory_xact_lock(1)", "CREATE TABLE temperature (x int)",
            "INSERT INTO settings VALUES ('set x')", "-- SET x = 1\nSELECT 1", "listener_count()",
            "SELECT set_config('work_mem', '1MB', true)", "select set_config('work_mem', '1MB', TRUE)",
            "SELECT set_config('application_name', 'x', false)", "SELECT 'set_config(''a'', ''b'', false)'",
            "SELECT 'CREATE TEMP TABLE t'", "SELECT $$DO$$", "SELECT $a$ ; SET work_mem = 1; $a$",
            "/* DO */ SELECT 1", "SELECT 1 /* ; SET work_mem = 1 */", "INSERT INTO temp_log VALUES (1)",
            "INSERT INTO pg_temp.t VALUES (1)", "SELECT * FROM pg_temp.t", "SELECT count(*) FROM pg_settings",
            "SELECT 1 INTO t", "SELECT \"DO\" FROM t", "EXPLAIN SELECT 1", "SELECT 1 INTO TABLE t",
    })
    void leavesNoSessionState(String sql) {
        assertThat(SessionStateDetector.changes(sql, REPORTED, Set.of())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "DEALLOCATE p | UNPIN | SQL_PREPARE | p",
            "deallocate prepare p | UNPIN | SQL_PREPARE | p",
            "UNLISTEN chan | UNPIN | LISTEN | chan",
            "CLOSE c | UNPIN | CURSOR_WITH_HOLD | c",
            "DROP TABLE IF EXISTS pg_temp.tt CASCADE | UNPIN | TEMP_OBJECT | tt",
            "RESET work_mem | UNPIN | UNTRACKED_SET | work_mem",
            "RESET work_mem | UNPIN | SET_CONFIG | work_mem",
            "RESET ROLE | UNPIN | SET_ROLE | role",
            "RESET SESSION AUTHORIZATION | UNPIN | SET_ROLE | session_authorization",
            "UNLISTEN * | UNPIN_ALL | LISTEN | ",
            "CLOSE ALL | UNPIN_ALL | CURSOR_WITH_HOLD | ",
            "RESET ALL | UNPIN_ALL | UNTRACKED_SET | ",
            "DISCARD TEMP | UNPIN_ALL | TEMP_OBJECT | ",
            "SELECT pg_advisory_unlock_all() | UNPIN_ALL | ADVISORY_LOCK | ",
            "select pg_catalog.pg_advisory_unlock_all ( ) | UNPIN_ALL | ADVISORY_LOCK | ",
    })
    void undoes(String sql, StateChange.Kind kind, PinReason reason, String name) {
        assertThat(SessionStateDetector.changes(sql, REPORTED, Set.of()))
                .contains(new StateChange(kind, reason, name, null));
    }

    @Test
    void namesTheObjectsItPinsAsPostgresqlDoes() {
        assertThat(SessionStateDetector.changes("CREATE TEMP TABLE IF NOT EXISTS \"Foo\" (x int)", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.TEMP_OBJECT, "Foo"));
        assertThat(SessionStateDetector.changes("CREATE TABLE \"pg_temp\".Bar AS SELECT 1", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.TEMP_OBJECT, "bar"));
        assertThat(SessionStateDetector.changes("SELECT 1 INTO TEMP TABLE t", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.TEMP_OBJECT, "t"));
        assertThat(SessionStateDetector.changes("declare cur cursor with hold for select 1", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.CURSOR_WITH_HOLD, "cur"));
        assertThat(SessionStateDetector.changes("SELECT set_config('Work_Mem', '1MB', false)", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.SET_CONFIG, "work_mem"));
        assertThat(SessionStateDetector.changes("SELECT set_config(name, '1', false) FROM t", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.SET_CONFIG, null));
        // pg_temp_N may be another session's temp schema: dropping a table there is not dropping ours
        assertThat(SessionStateDetector.changes("DROP TABLE pg_temp_3.t", REPORTED, Set.of()))
                .containsExactly(StateChange.unpin(PinReason.TEMP_OBJECT, "pg_temp_3.t"));
    }

    @Test
    void keepsTheOrderOfTheStatements() {
        assertThat(SessionStateDetector.changes("RESET ALL; SET lock_timeout = 5", REPORTED, Set.of())).containsExactly(
                StateChange.unpinAll(PinReason.UNTRACKED_SET),
                new StateChange(StateChange.Kind.TRACKED_SET, null, null, "DEFAULT"),
                StateChange.pin(PinReason.UNTRACKED_SET, "lock_timeout"));
        assertThat(SessionStateDetector.changes("DROP TABLE t; CREATE TEMP TABLE t (x int)", REPORTED, Set.of()))
                .containsExactly(StateChange.unpin(PinReason.TEMP_OBJECT, "t"),
                        StateChange.pin(PinReason.TEMP_OBJECT, "t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TEMP TABLE t (x int); SELECT ';DROP TABLE t;'",
            "CREATE TEMP TABLE t (x int) /* ;DROP TABLE t; */",
            "CREATE TEMP TABLE t (x int) -- ;DROP TABLE t;",
            "CREATE TEMP TABLE t (x int); SELECT $x$;DROP TABLE t;$x$",
            "CREATE TEMP TABLE t (x int); SELECT \";DROP TABLE t;\" FROM u",
    })
    void quotesAndCommentsDoNotFakeAnUndo(String sql) {
        assertThat(SessionStateDetector.changes(sql, REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.TEMP_OBJECT, "t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'pg_advisory_unlock_all()'", "SELECT pg_advisory_unlock_all() WHERE false",
            "SELECT CASE WHEN false THEN pg_advisory_unlock_all() END", "EXPLAIN SELECT pg_advisory_unlock_all()",
            "CREATE VIEW v AS SELECT pg_advisory_unlock_all()",
            "CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT pg_advisory_unlock_all(); END",
            "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY x; SELECT pg_advisory_unlock_all())",
    })
    void anUndoThatMayNotRunIsNotBelieved(String sql) {
        assertThat(SessionStateDetector.changes(sql, REPORTED, Set.of()))
                .noneMatch(c -> c.kind() == StateChange.Kind.UNPIN_ALL || c.kind() == StateChange.Kind.UNPIN);
    }

    /** With standard_conforming_strings off, '\'' is a quote inside the constant; pgmux does not know which. */
    @Test
    void aBackslashThatMayOrMayNotEscapePinsWhatEitherReadingCreatesAndUndoesNothing() {
        assertThat(SessionStateDetector.changes("SELECT '\\'; RESET work_mem; --'", REPORTED, Set.of())).isEmpty();
        assertThat(SessionStateDetector.changes("SELECT '\\'; SET work_mem = 1; --'", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.UNTRACKED_SET, "work_mem"));
        assertThat(SessionStateDetector.changes("SELECT '\\'; SET search_path = x; --'", REPORTED,
                Set.of("search_path"))).containsExactly(StateChange.pin(PinReason.UNTRACKED_SET, "search_path"));
        // no backslash, one reading: the undo is believed
        assertThat(SessionStateDetector.changes("SELECT 'x'; RESET work_mem", REPORTED, Set.of()))
                .contains(StateChange.unpin(PinReason.UNTRACKED_SET, "work_mem"));
    }

    /** In SJIS, BIG5, GBK ... a backslash may be the second byte of the character before it. */
    @Test
    void aBackslashAfterAMultibyteCharacterIsReadBothWays() {
        assertThat(SessionStateDetector.scan("SELECT E'\uFFFD\\'; SET work_mem = 1; --'", REPORTED))
                .isEqualTo(PinReason.UNTRACKED_SET);
        assertThat(SessionStateDetector.scan("SELECT E'\u00e9\\'; SET work_mem = 1; --'", REPORTED))
                .isEqualTo(PinReason.UNTRACKED_SET);
    }

    @Test
    void trackedParametersKeepTheirValueTextAndDoNotPin() {
        assertThat(SessionStateDetector.changes("SET search_path TO \"MySchema\", public -- c", REPORTED,
                Set.of("search_path")))
                .containsExactly(new StateChange(StateChange.Kind.TRACKED_SET, null, "search_path", "\"MySchema\", public"));
        assertThat(SessionStateDetector.changes("RESET search_path", REPORTED, Set.of("search_path")))
                .contains(new StateChange(StateChange.Kind.TRACKED_SET, null, "search_path", "DEFAULT"))
                .noneMatch(c -> c.kind() == StateChange.Kind.PIN);
        assertThat(SessionStateDetector.changes("SET TIME ZONE 'UTC'", REPORTED, Set.of())).isEmpty();
    }

    /** After SET search_path = pg_temp, even CREATE TABLE t creates a temporary table: that value is not replayed. */
    @Test
    void aTrackedSearchPathWithPgTempPins() {
        assertThat(SessionStateDetector.changes("SET search_path = pg_temp, public", REPORTED, Set.of("search_path")))
                .containsExactly(StateChange.pin(PinReason.UNTRACKED_SET, "search_path"),
                        StateChange.pin(PinReason.TEMP_OBJECT, null));
    }

    @Test
    void resetAllLeavesTheRoleAndSetConfigValuesPinned() {
        PinState pins = new PinState();
        pins.sent(SessionStateDetector.changes("SET ROLE someone; SELECT set_config('work_mem', '1MB', false)",
                REPORTED, Set.of()));
        pins.sent(SessionStateDetector.changes("RESET ALL", REPORTED, Set.of()));
        pins.confirm();
        assertThat(pins.reasons()).containsExactlyInAnyOrder(PinReason.SET_ROLE, PinReason.SET_CONFIG);
        pins.sent(SessionStateDetector.changes("RESET ROLE; RESET work_mem", REPORTED, Set.of()));
        pins.confirm();
        assertThat(pins.pinned()).isFalse();
    }

    @Test
    void quotedNamesKeepTheirCaseSoDroppingOneDoesNotUnpinTheOther() {
        PinState pins = new PinState();
        pins.sent(SessionStateDetector.changes(
                "CREATE TEMP TABLE \"T\" (x int); CREATE TEMP TABLE t (x int); DROP TABLE t", REPORTED, Set.of()));
        pins.confirm();
        assertThat(pins.toString()).isEqualTo("temp_object(T)");
    }

    /** EXECUTE runs the statement again after any undo: the pin of such a PREPARE outlives its DEALLOCATE. */
    @Test
    void aPreparedStatementThatCreatesStatePinsUntilDiscardAll() {
        PinState pins = new PinState();
        pins.sent(SessionStateDetector.changes("PREPARE p AS SELECT pg_advisory_lock(1)", REPORTED, Set.of()));
        pins.sent(SessionStateDetector.changes("SELECT pg_advisory_unlock_all(); EXECUTE p; DEALLOCATE ALL",
                REPORTED, Set.of()));
        pins.confirm();
        assertThat(pins.toString()).isEqualTo("prepared_effects(p)");
        pins.sent(SessionStateDetector.changes("DISCARD ALL", REPORTED, Set.of()));
        pins.confirm();
        assertThat(pins.pinned()).isFalse();
        assertThat(SessionStateDetector.changes("PREPARE q AS SELECT 1", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.SQL_PREPARE, "q"));
    }

    @Test
    void recognisesDiscard() {
        assertThat(SessionStateDetector.discardsSession(" DISCARD ALL")).isTrue();
        assertThat(SessionStateDetector.discardsSession("/* c */ discard all")).isTrue();
        assertThat(SessionStateDetector.discardsSession("SELECT 'discard'")).isFalse();
    }

    @Test
    void anUnterminatedTextIsReadToItsEnd() {
        for (String sql : List.of("SELECT 'x", "SELECT \"x", "SELECT $a$ x", "SELECT /* x", "SELECT E'\\",
                "SELECT U&'\\00", "SELECT set_config('a', 'b'", "DROP TABLE", "CREATE TEMP TABLE", "$", "U&")) {
            SessionStateDetector.changes(sql, REPORTED, Set.of()); // no exception
        }
        assertThat(SessionStateDetector.scan("SELECT set_config('a', 'b'", REPORTED)).isEqualTo(PinReason.SET_CONFIG);
    }
}
