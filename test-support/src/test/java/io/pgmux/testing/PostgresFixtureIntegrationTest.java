// Proves the shared PostgreSQL is reachable and enforces password authentication for both test roles.
package io.pgmux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresFixtureIntegrationTest {

    private final PostgresFixture postgres = PostgresFixture.shared();

    @Test
    void sharedReturnsOneInstance() {
        assertThat(PostgresFixture.shared()).isSameAs(postgres);
        assertThat(postgres.source()).isIn("testcontainers", "embedded", "external");
        assertThat(postgres.jdbcUrl())
                .isEqualTo("jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/pgmux_test");
    }

    @Test
    void scramRoleLogsInToTheTestDatabase() throws SQLException {
        try (Connection connection = postgres.connect()) {
            assertThat(selectOne(connection)).isEqualTo(1);
            assertThat(text(connection, "SELECT current_user")).isEqualTo("pgmux_test");
            assertThat(text(connection, "SELECT current_database()")).isEqualTo("pgmux_test");
        }
    }

    @Test
    void md5RoleLogsIn() throws SQLException {
        try (Connection connection =
                DriverManager.getConnection(postgres.jdbcUrl(), postgres.md5User(), postgres.md5Password())) {
            assertThat(selectOne(connection)).isEqualTo(1);
            assertThat(text(connection, "SELECT current_user")).isEqualTo("pgmux_md5");
        }
    }

    @Test
    void wrongPasswordIsRejectedWithInvalidPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "wrong"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.md5User(), "wrong"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void secretsAreStoredInTheRequestedFormats() throws SQLException {
        try (Connection connection = postgres.connect()) {
            assertThat(text(connection, "SELECT rolpassword FROM pg_authid WHERE rolname = 'pgmux_md5'"))
                    .startsWith("md5");
            assertThat(text(connection, "SELECT rolpassword FROM pg_authid WHERE rolname = 'pgmux_test'"))
                    .startsWith("SCRAM-SHA-256$");
        }
    }

    @Test
    void serverAllowsEnoughConnectionsForPoolTests() throws SQLException {
        try (Connection connection = postgres.connect()) {
            assertThat(Integer.parseInt(text(connection, "SHOW max_connections"))).isGreaterThanOrEqualTo(100);
        }
    }

    private static int selectOne(Connection connection) throws SQLException {
        return Integer.parseInt(text(connection, "SELECT 1"));
    }

    private static String text(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
