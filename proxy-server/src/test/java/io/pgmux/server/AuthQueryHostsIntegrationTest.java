// auth_query and SHOW DATABASES with several hosts: the lookup skips a host that is down, the console lists them all.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A database whose first host refuses connections (a stopped server) and whose second is the real PostgreSQL: a
 * role known only to PostgreSQL logs in through pgmux, which needs auth_query to reach the host that is up, not
 * only the first one; SHOW DATABASES lists both hosts.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthQueryHostsIntegrationTest {
    private final PostgresFixture pg = PostgresFixture.shared();
    private final String role = "pgmux_hosts_" + ThreadLocalRandom.current().nextInt(1_000_000);

    @Test
    void authQueryReachesTheHostThatIsUpAndShowDatabasesListsEveryHost() throws Exception {
        int stopped = closedPort();
        admin("SET password_encryption = 'scram-sha-256'; CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");
        try (PgmuxServer server = new PgmuxServer(ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                auth_type: scram-sha-256
                auth_user: %s
                admin_users: [%s]
                pool: {mode: session, default_pool_size: 2}
                timeouts: {server_connect_timeout: 5s, query_wait_timeout: 30s}
                databases:
                  %s:
                    hosts: [127.0.0.1:%d, %s:%d]
                users:
                  %s:
                    password: %s
                """.formatted(pg.user(), pg.user(), pg.database(), stopped, pg.host(), pg.port(), pg.user(),
                pg.password()))).start()) {
            try (Connection c = connect(server, role, "pw", pg.database());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(role);
            }
            try (Connection console = connectConsole(server); Statement s = console.createStatement();
                 ResultSet rs = s.executeQuery("SHOW DATABASES")) {
                String hosts = null;
                String balance = null;
                while (rs.next()) {
                    if (rs.getString("name").equals(pg.database())) {
                        hosts = rs.getString("host");
                        balance = rs.getString("load_balance_hosts");
                    }
                }
                assertThat(hosts).isEqualTo("127.0.0.1:" + stopped + "," + pg.host() + ":" + pg.port());
                assertThat(balance).isEqualTo("round-robin");
            }
        } finally {
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            admin("DROP ROLE IF EXISTS " + role);
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Connection connectConsole(PgmuxServer server) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("preferQueryMode", "simple");
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/pgbouncer", p);
    }

    private static Connection connect(PgmuxServer server, String user, String password, String database)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database, p);
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String statement : sql.split(";")) {
                s.execute(statement);
            }
        }
    }
}
