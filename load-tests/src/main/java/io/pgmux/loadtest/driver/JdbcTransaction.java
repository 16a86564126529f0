// Runs one function's transaction on a pgjdbc connection, the same work the non-blocking client does.
package io.pgmux.loadtest.driver;

import io.pgmux.loadtest.workload.TransactionKind;
import io.pgmux.loadtest.workload.TransactionSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The transaction of {@link TransactionSpec} over JDBC: BEGIN/COMMIT become autocommit off and commit(). */
final class JdbcTransaction {
    /** The prepared statement in JDBC placeholder syntax. */
    private static final String PREPARED_SQL = TransactionSpec.PREPARED_SQL.replace("$1", "?");

    private JdbcTransaction() {
    }

    static void run(Connection connection, TransactionSpec spec, String runId, long id) throws SQLException {
        if (spec.kind() == TransactionKind.PREPARED) {
            try (PreparedStatement statement = connection.prepareStatement(PREPARED_SQL)) {
                statement.setLong(1, id);
                drain(statement.executeQuery());
            }
            return;
        }
        List<String> statements = spec.statements(runId, id);
        boolean explicit = statements.get(0).equals("BEGIN");
        if (explicit) {
            connection.setAutoCommit(false);
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : explicit ? statements.subList(1, statements.size() - 1) : statements) {
                if (statement.execute(sql)) {
                    drain(statement.getResultSet());
                }
            }
        }
        if (explicit) {
            connection.commit();
            connection.setAutoCommit(true);
        }
    }

    private static void drain(ResultSet rows) throws SQLException {
        try (rows) {
            while (rows.next()) {
                rows.getString(1);
            }
        }
    }
}
