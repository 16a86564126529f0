package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

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

/** track_extra_parameters: SETs of the listed parameters follow their client across backends without pinning. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrackedParametersIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 1, "md5", "track_extra_parameters: [search_path, statement_timeout]",
                "query_wait_timeout: 700ms").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void trackedSetsFollowTheirClientAndNeverLeak() throws Exception {
        try (Connection a = proxy.connect(); Connection b = proxy.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            String defaultPath = show(sb, "search_path");
            sa.execute("SET search_path TO pg_catalog, \"Mixed Case\"");
            sa.execute("SET statement_timeout = '4s'");
            for (int i = 0; i < 4; i++) {
                assertThat(show(sa, "search_path")).isEqualTo("pg_catalog, \"Mixed Case\"");
                assertThat(show(sa, "statement_timeout")).isEqualTo("4s");
                assertThat(show(sb, "search_path")).isEqualTo(defaultPath);
                assertThat(show(sb, "statement_timeout")).isEqualTo("0");
            }
            // Not pinned: with a single backend, a third client still gets in while a and b are idle.
            assertThat(proxy.anotherClientGetsIn()).isTrue();
            sa.execute("RESET statement_timeout");
            assertThat(show(sa, "statement_timeout")).isEqualTo("0");
            assertThat(show(sa, "search_path")).isEqualTo("pg_catalog, \"Mixed Case\"");
        }
    }

    @Test
    void aRolledBackSetDoesNotFollowTheClient() throws Exception {
        try (Connection a = proxy.connect(); Connection b = proxy.connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            sa.execute("SET statement_timeout = '7s'");
            a.rollback();
            a.setAutoCommit(true);
            show(sb, "statement_timeout"); // b takes the backend in between
            assertThat(show(sa, "statement_timeout")).isEqualTo("0");
        }
    }

    private static String show(Statement s, String parameter) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + parameter)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
