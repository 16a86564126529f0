// Per-database auth_user, auth_query and auth_dbname against the real PostgreSQL: each login uses its database's.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A role known only to PostgreSQL logs in through pgmux to databases whose users are looked up differently. Each auth
 * user may read one table of secrets only: {@code alpha}'s auth user reads table A, {@code beta}'s own auth user
 * reads table B, and {@code gamma}'s query reads table C, which exists only in another PostgreSQL database that
 * gamma's {@code auth_dbname} names. A login succeeds only if pgmux ran the right query, as the right user, on the
 * right server database.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PerDatabaseAuthQueryIntegrationTest {
    private final PostgresFixture pg = PostgresFixture.shared();
    private final String suffix = String.valueOf(ThreadLocalRandom.current().nextInt(1_000_000));
    private final String role = "pgmux_client_" + suffix;
    private final String authA = "pgmux_auth_a_" + suffix;
    private final String authB = "pgmux_auth_b_" + suffix;
    private final String otherDb = "pgmux_authdb_" + suffix;
    private PgmuxServer server;

    @BeforeEach
    void start() throws Exception {
        admin(pg.database(), "SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE " + role + " LOGIN PASSWORD 'client_pw'",
                "CREATE ROLE " + authA + " LOGIN PASSWORD 'a_pw'",
                "CREATE ROLE " + authB + " LOGIN PASSWORD 'b_pw'",
                "CREATE TABLE secrets_a_" + suffix + " AS SELECT rolname AS usename, rolpassword AS passwd "
                        + "FROM pg_authid WHERE rolname = '" + role + "'",
                "CREATE TABLE secrets_b_" + suffix + " AS TABLE secrets_a_" + suffix,
                "GRANT SELECT ON secrets_a_" + suffix + " TO " + authA,
                "GRANT SELECT ON secrets_b_" + suffix + " TO " + authB,
                "CREATE DATABASE " + otherDb);
        admin(otherDb, "CREATE TABLE secrets_c AS SELECT rolname AS usename, rolpassword AS passwd "
                        + "FROM pg_authid WHERE rolname = '" + role + "'",
                "GRANT SELECT ON secrets_c TO " + authA);
        String server = "host: %s, port: %d".formatted(pg.host(), pg.port());
        PgmuxConfig config = ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                auth_type: scram-sha-256
                auth_user: %1$s
                auth_query: SELECT usename, passwd FROM secrets_a_%3$s WHERE usename=$1
                pool: {mode: session, default_pool_size: 2}
                timeouts: {server_connect_timeout: 10s, query_wait_timeout: 30s}
                databases:
                  alpha: {%4$s, dbname: %5$s}
                  beta: {%4$s, dbname: %5$s, auth_user: %2$s,
                         auth_query: "SELECT usename, passwd FROM secrets_b_%3$s WHERE usename=$1"}
                  crossed: {%4$s, dbname: %5$s,
                            auth_query: "SELECT usename, passwd FROM secrets_b_%3$s WHERE usename=$1"}
                  gamma: {%4$s, dbname: %5$s, auth_dbname: authdb,
                          auth_query: "SELECT usename, passwd FROM secrets_c WHERE usename=$1"}
                  authdb: {%4$s, dbname: %6$s}
                users:
                  %7$s: {password: "%8$s"}
                  %1$s: {password: a_pw}
                  %2$s: {password: b_pw}
                """.formatted(authA, authB, suffix, server, pg.database(), otherDb, pg.user(), pg.password()));
        assertThat(config.user(role)).as("the role is not configured in pgmux").isNull();
        this.server = new PgmuxServer(config).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        admin(pg.database(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN ('" + role
                        + "', '" + authA + "', '" + authB + "')",
                "DROP DATABASE IF EXISTS " + otherDb + " WITH (FORCE)",
                "DROP TABLE IF EXISTS secrets_a_" + suffix + ", secrets_b_" + suffix,
                "DROP ROLE IF EXISTS " + role, "DROP ROLE IF EXISTS " + authA, "DROP ROLE IF EXISTS " + authB);
    }

    @Test
    void eachDatabaseLooksTheRoleUpWithItsOwnAuthUserQueryAndDatabase() throws Exception {
        for (String database : new String[] {"alpha", "beta", "gamma"}) {
            try (Connection c = connect(database, "client_pw")) {
                assertThat(currentUser(c)).as(database).isEqualTo(role);
            }
        }
        assertThat(authQueryLogins()).as("each auth user ran its own database's lookups").contains(authA, authB);
        assertThatThrownBy(() -> connect("beta", "wrong_pw")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void theGlobalAuthUserCannotReadAnotherDatabasesSecrets() {
        // crossed asks for table B as the global auth user, who may read table A only: the lookup fails.
        assertThatThrownBy(() -> connect("crossed", "client_pw")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getMessage()).contains("authentication lookup failed"));
    }

    private String authQueryLogins() throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(usename, ',') FROM pg_stat_activity "
                     + "WHERE application_name = 'pgmux auth_query'")) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    private Connection connect(String database, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database, p);
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Runs each statement on {@code database} of the test server as its superuser, one at a time. */
    private void admin(String database, String... statements) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        String url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + database;
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
