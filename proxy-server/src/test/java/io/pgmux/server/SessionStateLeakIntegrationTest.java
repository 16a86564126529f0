package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import static io.pgmux.server.WireMessages.bind;
import static io.pgmux.server.WireMessages.concat;
import static io.pgmux.server.WireMessages.execute;
import static io.pgmux.server.WireMessages.parse;
import static io.pgmux.server.WireMessages.sync;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Session state a client creates under transaction pooling never reaches another client: a corpus of statements
 * that create state (some in spellings a keyword scan misses), each with a probe that is true in a clean session.
 * Client A runs the statement, then client B runs the probe, once while A stays connected (pool of two: B must be
 * given the other backend) and once after A left (pool of one: B gets A's backend, which must have been reset).
 * The cases share one pgmux per pool size (starting one per case took most of the suite's time); a case that fails
 * closes it, so that one leak cannot spoil the cases after it: they get a new one.
 */
@DetectLeaks
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class SessionStateLeakIntegrationTest {
    private static final String PROCEDURE = "pgmux_leak_test_sets_work_mem";

    private static final String NO_TEMP_TABLE = "SELECT to_regclass('pg_temp.t') IS NULL";
    private static final String WORK_MEM_CLEAN = defaultOf("work_mem");

    /** A: what client A runs, one Query (or one Parse) per element. Probe: true when B's session is clean. */
    record Leak(List<String> a, String probe) {
        @Override
        public String toString() {
            return String.join(" ⏎ ", a).replace('\n', ' ');
        }
    }

    enum Protocol { SIMPLE, EXTENDED }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Leak leak : corpus()) {
            for (Protocol protocol : Protocol.values()) {
                cases.add(Arguments.of(protocol, leak));
            }
        }
        return cases.stream();
    }

    static List<Leak> corpus() {
        return List.of(
                // temp objects, in every spelling
                leak("CREATE TABLE pg_temp.t AS SELECT 'A-secret'::text v", NO_TEMP_TABLE),
                leak("SELECT 'A-secret'::text AS v INTO TEMP t", NO_TEMP_TABLE),
                leak("SELECT 1 AS v INTO TEMPORARY t", NO_TEMP_TABLE),
                leak("SELECT 1 AS v INTO TEMP TABLE t", NO_TEMP_TABLE),
                leak("select 1 into temporary table t", NO_TEMP_TABLE),
                leak("SELECT 1 AS v INTO pg_temp.t", NO_TEMP_TABLE),
                leak("(SELECT 1 AS v INTO TEMP t)", NO_TEMP_TABLE),
                leak("CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("create temporary table t (x int)", NO_TEMP_TABLE),
                leak("CREATE GLOBAL TEMPORARY TABLE t (x int)", NO_TEMP_TABLE),
                leak("CREATE TABLE pg_temp.t (x int)", NO_TEMP_TABLE),
                leak("create table \"pg_temp\".t (x int)", NO_TEMP_TABLE),
                leak("CREATE TABLE U&\"pg\\005ftemp\".t (x int)", NO_TEMP_TABLE),
                leak("CREATE /* c */ TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("CrEaTe TeMp TaBlE t (x int)", NO_TEMP_TABLE),
                leak("CREATE TEMP VIEW v AS SELECT 1", "SELECT to_regclass('pg_temp.v') IS NULL"),
                leak("CREATE SEQUENCE pg_temp.s", "SELECT to_regclass('pg_temp.s') IS NULL"),
                leak("CREATE FUNCTION pg_temp.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                        "SELECT to_regprocedure('pg_temp.f()') IS NULL"),
                leak("CREATE TYPE pg_temp.ty AS (a int)", "SELECT to_regtype('pg_temp.ty') IS NULL"),
                leak("EXPLAIN ANALYZE CREATE TABLE pg_temp.t AS SELECT 1", NO_TEMP_TABLE),
                leak("BEGIN; SELECT set_config('search_path', 'pg_temp', true); CREATE TABLE t (x int); COMMIT",
                        NO_TEMP_TABLE),
                // comments, quotes and dollar quotes around statement boundaries
                leak("/* c */ create temp table t (x int)", NO_TEMP_TABLE),
                leak("-- c\ncreate temp table t (x int)", NO_TEMP_TABLE),
                leak("/* ; */ CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("/* a /* nested */ b */ CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("SELECT 1; CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("CREATE TEMP TABLE t (x int); SELECT 1", NO_TEMP_TABLE),
                leak("SELECT $$;$$; CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("SELECT $a$ $$; $a$; create TEMP table t (x int)", NO_TEMP_TABLE),
                leak("SELECT 'it''s;'; CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("SELECT E'\\\\'; CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("CREATE TEMP TABLE t (x int); SELECT ';DROP TABLE t;'", NO_TEMP_TABLE),
                leak("CREATE TEMP TABLE t (x int) /* ;DROP TABLE t; */", NO_TEMP_TABLE),
                leak("CREATE TEMP TABLE \"T\" (x int); CREATE TEMP TABLE t (x int); DROP TABLE t",
                        "SELECT to_regclass('pg_temp.\"T\"') IS NULL"),
                leak("SET work_mem = '11MB'; SELECT ';RESET work_mem;'", WORK_MEM_CLEAN),
                steps(WORK_MEM_CLEAN, "SET work_mem = '11MB'", "SET standard_conforming_strings = off",
                        "SELECT '\\'; RESET work_mem; --'", "SET standard_conforming_strings = on"),
                // set_config, unless its third argument is the literal true
                leak("SELECT set_config('statement_timeout','2',false)", defaultOf("statement_timeout")),
                leak("SELECT pg_catalog.set_config('work_mem','11MB',false)", WORK_MEM_CLEAN),
                leak("select SET_CONFIG('work_mem', '11MB', FALSE)", WORK_MEM_CLEAN),
                leak("SELECT set_config('work_mem', '11MB', (1=2))", WORK_MEM_CLEAN),
                leak("SELECT set_config('work_mem', '11MB', current_setting('application_name') = 'y')",
                        WORK_MEM_CLEAN),
                leak("SELECT set_config ( 'work_mem' , /* c */ '11MB' ,\n false )", WORK_MEM_CLEAN),
                leak("SELECT \"pg_catalog\".\"set_config\"('work_mem', '11MB', false)", WORK_MEM_CLEAN),
                leak("WITH s AS (SELECT set_config('work_mem', '11MB', false)) SELECT * FROM s", WORK_MEM_CLEAN),
                leak("UPDATE pg_settings SET setting = '11MB' WHERE name = 'work_mem'", WORK_MEM_CLEAN),
                leak("PREPARE p AS SELECT set_config('work_mem', '11MB', false); EXECUTE p; DEALLOCATE p",
                        WORK_MEM_CLEAN),
                steps(NO_ADVISORY_LOCK, "PREPARE p AS SELECT pg_advisory_lock(4711)", "EXECUTE p",
                        "SELECT pg_advisory_unlock_all()", "EXECUTE p", "DEALLOCATE ALL"),
                // arbitrary code
                leak("DO $$BEGIN PERFORM set_config('search_path','x',false); END$$", defaultOf("search_path")),
                leak("DO $body$ BEGIN PERFORM set_config('work_mem', '11MB', false); END $body$", WORK_MEM_CLEAN),
                leak("do language plpgsql $$begin execute 'set work_mem = ''11MB'''; end$$", WORK_MEM_CLEAN),
                leak("CALL " + PROCEDURE + "()", WORK_MEM_CLEAN),
                // the order of changes within one message
                leak("RESET ALL; SET lock_timeout = 5", defaultOf("lock_timeout")),
                leak("SET lock_timeout = 5; RESET ALL; SET work_mem = '11MB'", WORK_MEM_CLEAN),
                leak("RESET work_mem; SET work_mem = '11MB'", WORK_MEM_CLEAN),
                leak("DISCARD TEMP; CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("DROP TABLE IF EXISTS t; CREATE TEMP TABLE t (x int)", NO_TEMP_TABLE),
                leak("SET ROLE pg_monitor; RESET ALL", "SELECT current_user = session_user"),
                // advisory locks released only in appearance
                leak("SELECT pg_advisory_lock(4711); SELECT 'pg_advisory_unlock_all()'", NO_ADVISORY_LOCK),
                leak("SELECT pg_advisory_lock(4711); SELECT pg_advisory_unlock_all() WHERE false", NO_ADVISORY_LOCK));
    }

    private static final String NO_ADVISORY_LOCK =
            "SELECT count(*) = 0 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()";

    private static Leak leak(String sql, String probe) {
        return new Leak(List.of(sql), probe);
    }

    private static Leak steps(String probe, String... a) {
        return new Leak(List.of(a), probe);
    }

    /** True when the parameter has the value the session started with. */
    private static String defaultOf(String parameter) {
        return "SELECT setting = reset_val FROM pg_settings WHERE name = '" + parameter + "'";
    }

    @BeforeAll
    static void createProcedure() throws SQLException {
        try (Connection c = PostgresFixture.shared().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE PROCEDURE " + PROCEDURE + "() LANGUAGE sql"
                    + " AS $$ SELECT set_config('work_mem', '11MB', false) $$");
        }
    }

    @AfterAll
    static void dropProcedure() throws SQLException {
        try (Connection c = PostgresFixture.shared().connect(); Statement s = c.createStatement()) {
            s.execute("DROP PROCEDURE IF EXISTS " + PROCEDURE + "()");
        }
    }

    /** What one case does with the pgmux it is given. */
    interface Case {
        void run(TestProxy proxy) throws Exception;
    }

    /** The shared pgmux of each pool size, started when a case first needs it. */
    private static final Map<Integer, TestProxy> PGMUX = new HashMap<>();

    @AfterAll
    static void stopPgmux() {
        PGMUX.values().forEach(TestProxy::close);
        PGMUX.clear();
    }

    /** Runs {@code body} on the shared pgmux with a transaction pool of {@code poolSize}; closes it if it fails. */
    private static void withPgmux(int poolSize, Case body) throws Exception {
        TestProxy proxy = PGMUX.get(poolSize);
        if (proxy == null) {
            proxy = TestProxy.start("transaction", poolSize).warmedUp();
            PGMUX.put(poolSize, proxy);
        }
        try {
            body.run(proxy);
        } catch (Exception | AssertionError e) {
            PGMUX.remove(poolSize);
            proxy.close(); // what this case left behind must not decide the next one
            throw e;
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void anotherClientGetsAnotherBackendWhileTheFirstStays(Protocol protocol, Leak leak) throws Exception {
        withPgmux(2, proxy -> {
            try (Connection a = proxy.connect()) {
                run(a, leak, protocol);
                try (Connection b = proxy.connect()) {
                    assertClean(b, leak);
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void theBackendIsCleanForTheNextClientAfterTheFirstLeft(Protocol protocol, Leak leak) throws Exception {
        withPgmux(1, proxy -> {
            try (Connection a = proxy.connect()) {
                run(a, leak, protocol);
            }
            try (Connection b = proxy.connect()) {
                assertClean(b, leak);
            }
        });
    }

    /** A prepared statement that creates state, its undo, and the probe. */
    record Rerun(String sql, String undo, String probe) {
        @Override
        public String toString() {
            return sql;
        }
    }

    static List<Rerun> reruns() {
        return List.of(new Rerun("SET work_mem = '11MB'", "RESET work_mem", WORK_MEM_CLEAN),
                new Rerun("SELECT set_config('work_mem', '11MB', false)", "RESET work_mem", WORK_MEM_CLEAN),
                new Rerun("SELECT pg_advisory_lock(4711)", "SELECT pg_advisory_unlock_all()", NO_ADVISORY_LOCK));
    }

    /**
     * Each execution of a named prepared statement runs it again, Parse or not: after the state was undone (and
     * the backend unpinned), executing the statement once more must pin again.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reruns")
    void aNamedPreparedStatementPinsEveryTimeItRuns(Rerun rerun) throws Exception {
        Properties named = new Properties();
        named.setProperty("prepareThreshold", "1");
        withPgmux(1, proxy -> {
            try (Connection a = proxy.connect(named); PreparedStatement ps = a.prepareStatement(rerun.sql());
                 Statement s = a.createStatement()) {
                ps.execute();
                s.execute(rerun.undo());
                ps.execute();
            }
            try (Connection b = proxy.connect()) {
                assertClean(b, new Leak(List.of(rerun.sql(), rerun.undo(), rerun.sql()), rerun.probe()));
            }
        });
    }

    /** The unnamed statement lives until the next unnamed Parse or Query: a second Bind of it runs it again. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reruns")
    void theUnnamedStatementPinsEveryTimeItIsBound(Rerun rerun) throws Exception {
        withPgmux(1, proxy -> {
            try (RawClient a = new RawClient(proxy.port())) {
                a.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database()); // the pool B uses
                a.send(concat(parse("", rerun.sql()), bind("", ""), execute("", 0), sync()));
                a.readUntil('Z');
                a.send(concat(parse("undo", rerun.undo()), bind("", "undo"), execute("", 0), sync()));
                a.readUntil('Z');
                a.send(concat(bind("", ""), execute("", 0), sync()));
                assertThat(a.readUntil('C')).isNotNull(); // it ran
                a.readUntil('Z');
            }
            try (Connection b = proxy.connect()) {
                assertClean(b, new Leak(List.of(rerun.sql(), rerun.undo(), "(bind again)"), rerun.probe()));
            }
        });
    }

    private static void run(Connection a, Leak leak, Protocol protocol) throws SQLException {
        for (String sql : leak.a()) {
            if (protocol == Protocol.SIMPLE) {
                try (Statement s = a.createStatement()) {
                    s.execute(sql);
                }
            } else {
                try (PreparedStatement s = a.prepareStatement(sql)) {
                    s.execute();
                }
            }
        }
    }

    private static void assertClean(Connection b, Leak leak) throws SQLException {
        try (Statement s = b.createStatement(); ResultSet rs = s.executeQuery(leak.probe())) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("B's session after A ran %s: %s", leak, leak.probe()).isTrue();
        }
    }
}
