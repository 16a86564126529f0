// SHOW STATS, STATS_TOTALS and STATS_AVERAGES in PgBouncer 1.25.2's column order, each figure under its own name.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsColumnOrderIntegrationTest {
    private OpsProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = OpsProxy.start("session", 2, "");
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    /**
     * In session pooling one client is given a backend once and runs several transactions of several queries, so
     * server assignments, transactions and queries are three different numbers: read by position, they show that
     * each figure sits in the column PgBouncer puts it in.
     */
    @Test
    void theFirstThreeFiguresAreServerAssignmentsTransactionsAndQueriesByPosition() throws Exception {
        try (Connection app = proxy.connect(); Statement s = app.createStatement()) {
            s.execute("SELECT 1");
            s.execute("SELECT 2");
            app.setAutoCommit(false);
            s.execute("SELECT 3");
            s.execute("SELECT 4");
            s.execute("SELECT 5");
            app.commit();
        }
        try (Connection console = proxy.connect("pgbouncer", proxy.pg.user(), proxy.pg.password());
             Statement c = console.createStatement()) {
            List<String> stats = firstRow(c, "SHOW STATS");
            assertThat(columns(c, "SHOW STATS").subList(0, 4)).containsExactly("database",
                    "total_server_assignment_count", "total_xact_count", "total_query_count");
            assertThat(columns(c, "SHOW STATS").subList(12, 15)).containsExactly("avg_server_assignment_count",
                    "avg_xact_count", "avg_query_count");
            long assignments = Long.parseLong(stats.get(1));
            long xacts = Long.parseLong(stats.get(2));
            long queries = Long.parseLong(stats.get(3));
            assertThat(assignments).isEqualTo(1);
            assertThat(xacts).isGreaterThan(assignments);
            assertThat(queries).isGreaterThan(xacts);

            List<String> totals = firstRow(c, "SHOW STATS_TOTALS");
            assertThat(totals.subList(1, 4)).containsExactly(String.valueOf(assignments), String.valueOf(xacts),
                    String.valueOf(queries));
            assertThat(columns(c, "SHOW STATS_AVERAGES")).containsExactly("database", "server_assignment_count",
                    "xact_count", "query_count", "bytes_received", "bytes_sent", "xact_time", "query_time",
                    "wait_time", "avg_client_parse_count", "avg_server_parse_count", "avg_bind_count");
        }
    }

    private static List<String> columns(Statement c, String sql) throws Exception {
        try (ResultSet rs = c.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i));
            }
            return names;
        }
    }

    /** The values of the test database's row, by position, as text. */
    private List<String> firstRow(Statement c, String sql) throws Exception {
        try (ResultSet rs = c.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getString(1).equals(proxy.pg.database())) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.add(rs.getString(i));
                    }
                    return values;
                }
            }
        }
        throw new AssertionError(sql + " has no row for " + proxy.pg.database());
    }
}
