package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionStateDetectorTest {
    private static final Set<String> REPORTED = Set.of("application_name", "timezone", "datestyle");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
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
            "SET ROLE someone | UNTRACKED_SET",
            "SELECT 1; SET work_mem = '1MB' | UNTRACKED_SET",
    })
    void pins(String sql, PinReason expected) {
        assertThat(SessionStateDetector.scan(sql, REPORTED)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1", "SET application_name = 'x'", "set TimeZone to 'UTC'", "SET LOCAL work_mem = '1MB'",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "PREPARE TRANSACTION 'gid'",
            "DECLARE c CURSOR FOR SELECT 1", "SELECT pg_advisory_xact_lock(1)", "CREATE TABLE temperature (x int)",
            "INSERT INTO settings VALUES ('set x')", "-- SET x = 1\nSELECT 1", "listener_count()",
    })
    void leavesNoSessionState(String sql) {
        assertThat(SessionStateDetector.scan(sql, REPORTED)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DEALLOCATE p | UNPIN | SQL_PREPARE | p",
            "deallocate prepare p | UNPIN | SQL_PREPARE | p",
            "UNLISTEN chan | UNPIN | LISTEN | chan",
            "CLOSE c | UNPIN | CURSOR_WITH_HOLD | c",
            "DROP TABLE IF EXISTS pg_temp.tt CASCADE | UNPIN | TEMP_OBJECT | tt",
            "RESET work_mem | UNPIN | UNTRACKED_SET | work_mem",
            "UNLISTEN * | UNPIN_ALL | LISTEN | ",
            "CLOSE ALL | UNPIN_ALL | CURSOR_WITH_HOLD | ",
            "RESET ALL | UNPIN_ALL | UNTRACKED_SET | ",
            "SELECT pg_advisory_unlock_all() | UNPIN_ALL | ADVISORY_LOCK | ",
    })
    void undoes(String sql, StateChange.Kind kind, PinReason reason, String name) {
        assertThat(SessionStateDetector.changes(sql, REPORTED, Set.of()))
                .contains(new StateChange(kind, reason, name, null));
    }

    @Test
    void namesTheObjectsItPins() {
        assertThat(SessionStateDetector.changes("CREATE TEMP TABLE IF NOT EXISTS \"Foo\" (x int)", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.TEMP_OBJECT, "foo"));
        assertThat(SessionStateDetector.changes("declare cur cursor with hold for select 1", REPORTED, Set.of()))
                .containsExactly(StateChange.pin(PinReason.CURSOR_WITH_HOLD, "cur"));
    }

    @Test
    void trackedParametersKeepTheirValueTextAndDoNotPin() {
        assertThat(SessionStateDetector.changes("SET search_path TO \"MySchema\", public", REPORTED, Set.of("search_path")))
                .containsExactly(new StateChange(StateChange.Kind.TRACKED_SET, null, "search_path", "\"MySchema\", public"));
        assertThat(SessionStateDetector.changes("RESET search_path", REPORTED, Set.of("search_path")))
                .containsExactly(new StateChange(StateChange.Kind.TRACKED_SET, null, "search_path", "DEFAULT"));
        assertThat(SessionStateDetector.changes("SET TIME ZONE 'UTC'", REPORTED, Set.of())).isEmpty();
    }

    @Test
    void recognisesDiscard() {
        assertThat(SessionStateDetector.discardsSession(" DISCARD ALL")).isTrue();
        assertThat(SessionStateDetector.discardsSession("SELECT 'discard'")).isFalse();
    }
}
