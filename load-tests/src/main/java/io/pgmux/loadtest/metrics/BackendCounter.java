// Counts PostgreSQL client backends through a direct connection, and can terminate them for restart scenarios.
package io.pgmux.loadtest.metrics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One JDBC connection straight to PostgreSQL (not through a proxy), opened before the storm so it holds its slot
 * even when the storm exhausts {@code max_connections}. Counts client backends of {@code database}, optionally of one
 * role only, excluding itself. Reconnects once per call if its connection was lost.
 */
public final class BackendCounter implements AutoCloseable {
    private final String url;
    private final Properties properties;
    private final String database;
    private final String role;
    private Connection connection;

    /** @param role count only this role's backends, or null for every role */
    public BackendCounter(String url, Properties properties, String database, String role) throws SQLException {
        this.url = url;
        this.properties = properties;
        this.database = database;
        this.role = role;
        this.connection = DriverManager.getConnection(url, properties);
    }

    /** Client backends connected to the database now. */
    public synchronized int count() throws SQLException {
        String sql = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                + " AND pid <> pg_backend_pid() AND datname = ?" + (role != null ? " AND usename = ?" : "");
        return withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setString(1, database);
                if (role != null) {
                    statement.setString(2, role);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    /** Terminates every other client backend of the database, as a server restart or failover would. */
    public synchronized int terminateAll() throws SQLException {
        String sql = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = ?";
        return withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setString(1, database);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    private int withConnection(SqlFunction action) throws SQLException {
        try {
            return action.apply(connection);
        } catch (SQLException first) {
            if (connection.isValid(1)) {
                throw first;
            }
            connection.close();
            connection = DriverManager.getConnection(url, properties);
            return action.apply(connection);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing a connection we no longer need; nothing useful to do about a failure.
        }
    }

    @FunctionalInterface
    private interface SqlFunction {
        int apply(Connection connection) throws SQLException;
    }
}
