// Creates the password-authenticated roles and database that every test connects with.
package io.pgmux.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Provisions the roles and the database of {@link PostgresFixture} through a superuser connection.
 * Idempotent: existing roles get their password reset, so a reused external server converges too.
 */
final class TestRoles {

    static final String DATABASE = "pgmux_test";
    static final String SCRAM_USER = "pgmux_test";
    static final String SCRAM_PASSWORD = "pgmux_test_pw";
    static final String MD5_USER = "pgmux_md5";
    static final String MD5_PASSWORD = "pgmux_md5_pw";

    private TestRoles() {
    }

    /** Creates or updates both roles and creates the database if missing; {@code admin} must be a superuser. */
    static void provision(Connection admin) throws SQLException {
        admin.setAutoCommit(true); // CREATE DATABASE refuses to run inside a transaction block
        // password_encryption decides how the next PASSWORD clause is stored, so set it per role.
        createOrUpdateRole(admin, SCRAM_USER, SCRAM_PASSWORD, "scram-sha-256");
        createOrUpdateRole(admin, MD5_USER, MD5_PASSWORD, "md5");
        execute(admin, "RESET password_encryption");
        if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
            execute(admin, "CREATE DATABASE " + DATABASE + " OWNER " + SCRAM_USER);
        }
    }

    private static void createOrUpdateRole(Connection admin, String role, String password, String encryption)
            throws SQLException {
        execute(admin, "SET password_encryption = '" + encryption + "'");
        String verb = exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role) ? "ALTER" : "CREATE";
        // Role names and passwords are constants of this class, so inlining them cannot inject anything.
        execute(admin, verb + " ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + password + "'");
    }

    private static boolean exists(Connection admin, String query, String name) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void execute(Connection admin, String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}
