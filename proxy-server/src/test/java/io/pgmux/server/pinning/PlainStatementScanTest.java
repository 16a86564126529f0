package io.pgmux.server.pinning;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainStatementScanTest {
    private static final Set<String> REPORTED = Set.of("application_name", "timezone", "datestyle");
    /** What pgbench and pgjdbc send most: these must stay on the fast path. */
    private static final List<String> HOT = List.of("BEGIN", "END", "COMMIT", "ROLLBACK",
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
            "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)",
            "select * from orders where id = $1 for update");

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1", "  select abalance from pgbench_accounts where aid = 5;", "BEGIN", "COMMIT;",
        "INSERT INTO t VALUES (1)", "UPDATE t SET x = 1", "with x as (select 1) select * from x",
        "END;;  ", "Select 'prepare me'", "SELECT $1", "INSERT INTO t SELECT 1 FROM u", "select 'do' as call"})
    void plainStatementsSkipTheDetector(String sql) {
        assertThat(isPlain(sql)).isTrue();
        assertThat(SessionStateDetector.changes(sql, REPORTED, Set.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PREPARE p AS SELECT 1", "set work_mem = '8MB'", "Listen ch", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
        "create temp table t (x int)", "SELECT pg_advisory_lock(1)", "select PG_TRY_ADVISORY_LOCK(1)", "DISCARD ALL",
        "SELECT 1; SET work_mem = '8MB'", "/* hint */ SET work_mem = '1MB'", "-- c\nLISTEN x", "reset all",
        "load 'x'", "drop table t", "close all", "unlisten *", "deallocate all", "\"select\" 1", "(select 1)", "",
        "SELECT set_config('a', 'b', false)", "select \"SET_CONFIG\"('a', 'b', false)", "select 1 into temp t",
        "SELECT 1 INTO t", "SELECT * FROM pg_temp.t", "DO $$ begin end $$", "do$$ begin end $$", "call p()",
        "CALL p()", "explain analyze create table pg_temp.t as select 1", "select $$x$$", "select $a$x$a$",
        "UPDATE pg_settings SET setting = '1MB' WHERE name = 'work_mem'", "select U&\"pg\\005ftemp\".t.x",
        "ALTER TABLE pg_temp.t ADD y int", "set_config('a', 'b', false)"})
    void everythingElseGoesToTheDetector(String sql) {
        assertThat(isPlain(sql)).isFalse();
    }

    /**
     * Whatever the scan calls plain, the detector must find nothing in: checked over many generated statements,
     * made of the words both look for in every arrangement, with quotes, comments and dollar quotes around them.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void neverPlainWhereTheDetectorFindsState(long seed) {
        Random random = new Random(seed);
        List<String> pieces = List.of("select", "SET", "set local", "prepare", "listen", "begin", "commit", " ", ";",
                "x", "pg_advisory_lock(1)", "'a;b'", "work_mem = 1", "create temp table t(x int)", "--", "\n",
                "/*", "*/", "(", ")", "discard all", "reset", "declare c cursor with hold for", "drop table t",
                "set_config('work_mem', '1MB', false)", "set_config('work_mem', '1MB', true)", "SET_CONFIG(", "into",
                "INTO TEMP", "temporary", "pg_temp.t", "\"pg_temp\"", "U&\"pg\\005ftemp\"", "do", "DO", "call p()",
                "explain analyze", "$$", "$a$", "$1", "'", "\"", "E'\\\\'", "\\", "update pg_settings set", "insert",
                "merge", "with", "values", ",", "=", "true", "false", "é", "table", "role");
        int plain = 0;
        int detected = 0;
        for (int n = 0; n < 5_000; n++) {
            StringBuilder sql = new StringBuilder();
            for (int k = random.nextInt(6); k >= 0; k--) {
                sql.append(pieces.get(random.nextInt(pieces.size()))).append(random.nextBoolean() ? " " : "");
            }
            String text = sql.toString();
            boolean changes = !SessionStateDetector.changes(text, REPORTED, Set.of()).isEmpty();
            if (isPlain(text)) {
                assertThat(changes).as(text).isFalse();
                plain++;
            }
            detected += changes ? 1 : 0;
        }
        // Both sides of the property were exercised, or it proves nothing.
        assertThat(plain).isGreaterThan(100);
        assertThat(detected).isGreaterThan(100);
    }

    @Test
    void hotStatementsAreReadWithoutAllocating() {
        StatementInspector inspector = new StatementInspector(Map.of("application_name", "x"), Set.of(), true);
        List<ByteBuf> frames = HOT.stream().flatMap(sql -> java.util.stream.Stream.of(query(sql), parse(sql))).toList();
        for (ByteBuf frame : frames) {
            assertThat(inspector.inspect(frame)).as(frame.toString(StandardCharsets.UTF_8)).isEmpty();
        }
        ByteBuf[] array = frames.toArray(ByteBuf[]::new); // a list's iterator would be the one allocation
        Runnable inspectAll = () -> {
            for (int i = 0; i < 100_000; i++) {
                for (ByteBuf frame : array) {
                    inspector.inspect(frame);
                }
            }
        };
        inspectAll.run(); // warm up: class loading, JIT
        assertThat(allocatedBytes(inspectAll)).as("bytes allocated by %d inspections", 100_000 * frames.size())
                .isLessThan(4096);
    }

    /** Frames wrapped around plain arrays: leak detection would record (and allocate on) every read of pooled ones. */
    private static ByteBuf query(String sql) {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.wrappedBuffer(new byte[5 + text.length]).clear();
        return frame.writeByte('Q').writeInt(4 + text.length).writeBytes(text);
    }

    private static ByteBuf parse(String sql) {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.wrappedBuffer(new byte[5 + 1 + text.length + 2]).clear();
        return frame.writeByte('P').writeInt(4 + 1 + text.length + 2).writeByte(0).writeBytes(text).writeShort(0);
    }

    private static long allocatedBytes(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
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
