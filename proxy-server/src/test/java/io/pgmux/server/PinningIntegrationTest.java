package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.server.pinning.PinCounters;
import io.pgmux.server.pinning.PinReason;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transaction pooling with one backend: while a client holds session state its backend is pinned, so nobody
 * else can log in; once the state is gone the backend is shared again. A short query_wait_timeout makes "nobody
 * else can log in" observable.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PinningIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        // LISTEN pins only under pool.listen: pin (the default fans it out, see ListenFanOutIntegrationTest).
        proxy = TestProxy.start("transaction", 1, "md5", "listen: pin", "query_wait_timeout: 700ms").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sql_prepare      | PREPARE p AS SELECT 1                    | DEALLOCATE p",
            "listen           | LISTEN some_channel                      | UNLISTEN *",
            "cursor_with_hold | DECLARE c CURSOR WITH HOLD FOR SELECT 1  | CLOSE c",
            "temp_object      | CREATE TEMP TABLE pin_tmp (x int)         | DROP TABLE pin_tmp",
            "advisory_lock    | SELECT pg_advisory_lock(4242)            | SELECT pg_advisory_unlock_all()",
            "untracked_set    | SET work_mem = '8MB'                     | RESET work_mem",
            "discard_all      | PREPARE q AS SELECT 2; LISTEN ch2        | DISCARD ALL",
    })
    void sessionStatePinsUntilItIsGone(String reason, String pinSql, String unpinSql) throws Exception {
        PinCounters counters = proxy.server.pinCounters();
        long unpinsBefore = counters.unpins();
        try (Connection holder = proxy.connect(); Statement s = holder.createStatement()) {
            assertThat(proxy.anotherClientGetsIn()).as("before %s", reason).isTrue();
            s.execute(pinSql);
            s.execute("SELECT 1");
            assertThat(proxy.anotherClientGetsIn()).as("pinned by %s", reason).isFalse();
            assertThat(counters.pinnedNow()).isEqualTo(1);
            s.execute(unpinSql);
            assertThat(proxy.anotherClientGetsIn()).as("after undoing %s", reason).isTrue();
            assertThat(counters.pinnedNow()).isZero();
            assertThat(counters.unpins()).isEqualTo(unpinsBefore + 1);
        }
        if (!reason.equals("discard_all")) {
            assertThat(counters.pins(PinReason.valueOf(reason.toUpperCase(java.util.Locale.ROOT)))).isPositive();
        }
    }

    @Test
    void loadPinsUntilTheClientLeaves() throws Exception {
        try (Connection holder = proxy.connect(); Statement s = holder.createStatement()) {
            s.execute("LOAD 'plpgsql'");
            s.execute("DISCARD ALL");
            assertThat(proxy.anotherClientGetsIn()).isFalse();
        }
        assertThat(proxy.anotherClientGetsIn()).isTrue();
    }

    @Test
    void failedUndoKeepsThePin() throws Exception {
        try (Connection holder = proxy.connect(); Statement s = holder.createStatement()) {
            s.execute("CREATE TEMP TABLE kept (x int)");
            assertThatThrownBy(() -> s.execute("DROP TABLE kept; SELECT 1/0")).isInstanceOf(SQLException.class);
            assertThat(proxy.anotherClientGetsIn()).isFalse(); // the DROP was rolled back with the error
            s.execute("DROP TABLE kept");
            assertThat(proxy.anotherClientGetsIn()).isTrue();
        }
    }

    @Test
    void pinnedStateIsResetBeforeTheNextClient() throws Exception {
        try (Connection holder = proxy.connect(); Statement s = holder.createStatement()) {
            s.execute("SET work_mem = '9MB'");
            s.execute("CREATE TEMP TABLE left_behind (x int)");
        }
        try (Connection next = proxy.connect(); Statement s = next.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW work_mem")) {
                rs.next();
                assertThat(rs.getString(1)).isNotEqualTo("9MB");
            }
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('left_behind') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }
}
