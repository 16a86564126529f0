package io.pgmux.server;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * pgmux in front of the shared test PostgreSQL for authentication and TLS tests: session pooling, both test roles
 * as users with their plain passwords, and {@code topLevelYaml} (auth_type, client_tls_*, ...) added to the config.
 */
final class AuthProxy implements AutoCloseable {
    final PostgresFixture pg = PostgresFixture.shared();
    final PgmuxServer server;

    AuthProxy(String topLevelYaml) throws InterruptedException {
        this(topLevelYaml, null);
    }

    /** {@code usersYaml} replaces the generated users section's entries when not null. */
    AuthProxy(String topLevelYaml, String usersYaml) throws InterruptedException {
        String users = usersYaml != null ? usersYaml : """
                %s:
                  password: %s
                %s:
                  password: %s
                """.formatted(pg.user(), pg.password(), pg.md5User(), pg.md5Password());
        String yaml = """
                listen: 127.0.0.1:0
                %s
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
                    user: %s
                    password: %s
                users:
                %s
                """.formatted(topLevelYaml.strip(), pg.database(), pg.host(), pg.port(), pg.user(), pg.password(),
                users.strip().indent(2).stripTrailing());
        server = new PgmuxServer(ConfigLoader.fromYaml(yaml)).start();
    }

    int port() {
        return server.port();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + pg.database();
    }

    /** Connects with pgjdbc as {@code user}/{@code password} plus {@code extra} properties and runs SELECT 1. */
    int selectOne(String user, String password, Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        p.putAll(extra);
        try (Connection c = DriverManager.getConnection(jdbcUrl(), p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Override
    public void close() {
        server.close();
    }
}
