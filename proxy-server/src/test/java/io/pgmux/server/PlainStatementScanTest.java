package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainStatementScanTest {
    private static final Set<String> REPORTED = Set.of("application_name", "timezone", "datestyle");

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "  select abalance from pgbench_accounts where aid = 5;", "BEGIN", "COMMIT;",
        "INSERT INTO t VALUES (1)", "UPDATE t SET x = 1", "with x as (select 1) select * from x",
        "END;;  ", "Select 'prepare me'"})
    void plainStatementsSkipTheDetector(String sql) {
        assertThat(isPlain(sql)).isTrue();
        assertThat(SessionStateDetector.changes(sql, REPORTED, Set.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PREPARE p AS SELECT 1", "set work_mem = '8MB'", "Listen ch", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
        "create temp table t (x int)", "SELECT pg_advisory_lock(1)", "select PG_TRY_ADVISORY_LOCK(1)", "DISCARD ALL",
        "SELECT 1; SET work_mem = '8MB'", "/* hint */ SET work_mem = '1MB'", "-- c\nLISTEN x", "reset all",
        "load 'x'", "drop table t", "close all", "unlisten *", "deallocate all", "\"select\" 1", "(select 1)", ""})
    void everythingElseGoesToTheDetector(String sql) {
        assertThat(isPlain(sql)).isFalse();
    }

    /** Whatever the scan calls plain, the detector must find nothing in: checked over many generated statements. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void neverPlainWhereTheDetectorFindsState(long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<String> pieces = List.of("select", "SET", "set local", "prepare", "listen", "begin", "commit", " ", ";",
                "x", "pg_advisory_lock(1)", "'a;b'", "work_mem = 1", "create temp table t(x int)", "--", "\n",
                "/*", "*/", "(", ")", "discard all", "reset", "declare c cursor with hold for", "drop table t");
        for (int n = 0; n < 5_000; n++) {
            StringBuilder sql = new StringBuilder();
            for (int k = random.nextInt(6); k >= 0; k--) {
                sql.append(pieces.get(random.nextInt(pieces.size()))).append(random.nextBoolean() ? " " : "");
            }
            String text = sql.toString();
            if (isPlain(text)) {
                assertThat(SessionStateDetector.changes(text, REPORTED, Set.of())).as(text).isEmpty();
            }
        }
    }

    private static boolean isPlain(String sql) {
        ByteBuf buf = Unpooled.copiedBuffer("xx" + sql + "\0", StandardCharsets.UTF_8);
        try {
            return PlainStatementScan.isPlain(buf, 2, buf.writerIndex() - 1);
        } finally {
            buf.release();
        }
    }
}
