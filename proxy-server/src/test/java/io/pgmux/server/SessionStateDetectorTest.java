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
            "RESET ALL | UNTRACKED_SET",
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

    @Test
    void recognisesDiscard() {
        assertThat(SessionStateDetector.discardsSession(" DISCARD ALL")).isTrue();
        assertThat(SessionStateDetector.discardsSession("SELECT 'discard'")).isFalse();
    }
}
