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
 * auth_query passthrough against the real PostgreSQL: a SCRAM role that exists only in PostgreSQL logs in through
 * pgmux, pgmux logs in to PostgreSQL as that role with the client's ClientKey (it never learns the password), and a
 * password changed in PostgreSQL takes effect once the cache entry expires.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthQueryIntegrationTest {
    private final PostgresFixture pg = PostgresFixture.shared();
    private final String role = "pgmux_pt_" + ThreadLocalRandom.current().nextInt(1_000_000);
    private PgmuxServer server;

    @BeforeEach
    void start() throws Exception {
        admin("SET password_encryption = 'scram-sha-256'; CREATE ROLE " + role + " LOGIN PASSWORD 'first_pw'");
        PgmuxConfig config = ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                auth_type: scram-sha-256
                auth_user: %s
                auth_query_cache_ttl: 2s
                pool:
                  mode: session
                  default_pool_size: 4
                timeouts:
                  server_connect_timeout: 10s
                  query_wait_timeout: 30s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                """.formatted(pg.user(), pg.database(), pg.host(), pg.port(), pg.user(), pg.password()));
        assertThat(config.user(role)).as("the role is not configured in pgmux").isNull();
        server = new PgmuxServer(config).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
        admin("DROP ROLE IF EXISTS " + role);
    }

    @Test
    void roleKnownOnlyToPostgresqlLogsInAndRunsAsItself() throws Exception {
        try (Connection c = connect(role, "first_pw")) {
            assertThat(currentUser(c)).isEqualTo(role);
        }
        assertThatThrownBy(() -> connect(role, "not_it")).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("28P01");
            assertThat(e.getMessage()).contains("password authentication failed for user \"" + role + "\"");
        });
        assertThatThrownBy(() -> connect("pgmux_nobody_here", "x")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void passwordChangedInPostgresqlTakesEffectAfterTheCacheExpires() throws Exception {
        try (Connection c = connect(role, "first_pw")) {
            assertThat(currentUser(c)).isEqualTo(role);
        }
        admin("SET password_encryption = 'scram-sha-256'; ALTER ROLE " + role + " PASSWORD 'second_pw'");
        Thread.sleep(2_500); // auth_query_cache_ttl is 2s
        assertThatThrownBy(() -> connect(role, "first_pw")).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        // Two at once, so at least one needs a new backend login with the keys of the new password.
        try (Connection a = connect(role, "second_pw"); Connection b = connect(role, "second_pw")) {
            assertThat(currentUser(a)).isEqualTo(role);
            assertThat(currentUser(b)).isEqualTo(role);
            assertThat(backendsOf(role)).isGreaterThanOrEqualTo(2);
        }
    }

    private Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + pg.database(), p);
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private int backendsOf(String user) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + user + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String statement : sql.split(";")) {
                s.execute(statement);
            }
        }
    }
}
