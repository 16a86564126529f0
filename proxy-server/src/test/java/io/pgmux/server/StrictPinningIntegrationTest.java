package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pool.pinning: refuse. Statements that would pin get an error naming the reason; the backend stays shared. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StrictPinningIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        // Without statement tracking, so that a named protocol statement is one more thing that would pin.
        proxy = TestProxy.start("transaction", 1, "md5", "pinning: refuse\nmax_prepared_statements: 0\nlisten: pin",
                "query_wait_timeout: 700ms").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PREPARE p AS SELECT 1", "LISTEN ch", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
            "CREATE TEMP TABLE t (x int)", "SELECT pg_advisory_lock(1)", "SET work_mem = '8MB'", "LOAD 'plpgsql'"})
    void statementThatWouldPinIsRefused(String sql) throws Exception {
        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("0A000");
                assertThat(e.getMessage()).contains("pool.pinning is refuse");
            });
            try (ResultSet rs = s.executeQuery("SELECT 'still usable'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("still usable");
            }
            assertThat(proxy.anotherClientGetsIn()).isTrue();
        }
    }

    @Test
    void namedProtocolStatementIsRefusedWithoutPinning() throws Exception {
        Properties eager = new Properties();
        eager.setProperty("prepareThreshold", "1");
        try (Connection c = proxy.connect(eager); PreparedStatement ps = c.prepareStatement("SELECT ?::int")) {
            ps.setInt(1, 5);
            assertThatThrownBy(ps::executeQuery).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            // pgjdbc keeps naming statements on this connection; later refusals may come mid-batch, where pgmux
            // has no clean point to answer and ends the session instead. The pool is what must stay healthy.
        }
        assertThat(proxy.anotherClientGetsIn()).isTrue();
    }
}
