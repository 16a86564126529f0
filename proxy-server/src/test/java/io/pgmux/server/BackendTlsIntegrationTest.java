package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * server_tls_sslmode against the shared PostgreSQL switched to ssl=on with a certificate of a test CA, written
 * into its data directory (so this needs the embedded server; it is skipped for a container or external server).
 * The settings are reset afterwards.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackendTlsIntegrationTest {
    @TempDir
    static Path dir;
    static final PostgresFixture pg = PostgresFixture.shared();
    static Path caFile;
    static Path otherCaFile;

    @BeforeAll
    static void enableServerTls() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority("backend-ca");
        caFile = ca.writeCa(dir);
        otherCaFile = TestCertificates.newAuthority("unrelated-ca").writeCa(dir);
        // Only the name localhost, so verify-full to 127.0.0.1 must fail and to localhost must pass.
        TestCertificates.Issued server = ca.issueServerForName(dir, "pg-server", "localhost");
        try (Connection admin = pg.connect(); Statement s = admin.createStatement()) {
            // COPY TO writes files readable by others, which PostgreSQL refuses for a key, so the files are written
            // directly: possible when the server runs on this machine (embedded), skipped otherwise.
            Path dataDir = Path.of(single(s, "SHOW data_directory"));
            Assumptions.assumeTrue(Files.isWritable(dataDir), "the server's data directory is not on this machine");
            copyPrivate(server.certFile(), dataDir.resolve("pgmux_test_server.crt"));
            copyPrivate(server.keyFile(), dataDir.resolve("pgmux_test_server.key"));
            s.execute("ALTER SYSTEM SET ssl_cert_file = 'pgmux_test_server.crt'");
            s.execute("ALTER SYSTEM SET ssl_key_file = 'pgmux_test_server.key'");
            s.execute("ALTER SYSTEM SET ssl = on");
            s.execute("SELECT pg_reload_conf()");
        }
        awaitServerTls();
    }

    @AfterAll
    static void resetServerTls() throws Exception {
        try (Connection admin = pg.connect(); Statement s = admin.createStatement()) {
            s.execute("ALTER SYSTEM RESET ssl");
            s.execute("ALTER SYSTEM RESET ssl_cert_file");
            s.execute("ALTER SYSTEM RESET ssl_key_file");
            s.execute("SELECT pg_reload_conf()");
            // A TLS backend whose close_notify was still being written when its pgmux stopped can outlive it
            // for a while; later tests count the test role's backends, so none may be left behind.
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_ssl WHERE ssl AND pid <> pg_backend_pid()");
            for (int i = 0; i < 100 && Integer.parseInt(single(s, "SELECT count(*) FROM pg_stat_ssl WHERE ssl"
                    + " AND pid <> pg_backend_pid()")) > 0; i++) {
                Thread.sleep(50);
            }
        }
    }

    @Test
    void verifyFullWithTheTestCaEncryptsTheBackendConnection() throws Exception {
        try (PgmuxServer server = start("server_tls_sslmode: verify-full\nserver_tls_ca_file: " + caFile,
                "localhost")) {
            assertThat(backendUsesTls(server)).isTrue();
        }
    }

    @Test
    void verifyCaDoesNotCheckTheName() throws Exception {
        try (PgmuxServer server = start("server_tls_sslmode: verify-ca\nserver_tls_ca_file: " + caFile,
                "127.0.0.1")) {
            assertThat(backendUsesTls(server)).isTrue();
        }
    }

    @Test
    void verifyFullRefusesACertificateOfAnotherCa() throws Exception {
        try (PgmuxServer server = start("server_tls_sslmode: verify-full\nserver_tls_ca_file: " + otherCaFile,
                "localhost")) {
            assertThatThrownBy(() -> backendUsesTls(server)).isInstanceOfSatisfying(SQLException.class,
                    BackendTlsIntegrationTest::isTlsFailureWithoutAddress);
        }
    }

    @Test
    void verifyFullRefusesAHostTheCertificateDoesNotName() throws Exception {
        try (PgmuxServer server = start("server_tls_sslmode: verify-full\nserver_tls_ca_file: " + caFile,
                "127.0.0.1")) {
            assertThatThrownBy(() -> backendUsesTls(server)).isInstanceOfSatisfying(SQLException.class,
                    BackendTlsIntegrationTest::isTlsFailureWithoutAddress);
        }
    }

    /** The client learns that TLS to the server failed, not the server's address or the handshake's details. */
    private static void isTlsFailureWithoutAddress(SQLException e) {
        assertThat(e.getSQLState()).isEqualTo("08001");
        assertThat(e.getMessage()).contains("pgmux could not establish TLS with the database server")
                .doesNotContain("127.0.0.1", "localhost", String.valueOf(pg.port()), "Exception", "certificate");
    }

    @Test
    void requireAndPreferEncryptDisableDoesNot() throws Exception {
        try (PgmuxServer server = start("server_tls_sslmode: require")) {
            assertThat(backendUsesTls(server)).isTrue();
        }
        try (PgmuxServer server = start("")) {
            assertThat(backendUsesTls(server)).as("prefer is the default").isTrue();
        }
        try (PgmuxServer server = start("server_tls_sslmode: disable")) {
            assertThat(backendUsesTls(server)).isFalse();
        }
    }

    private static PgmuxServer start(String tlsYaml) throws InterruptedException {
        return start(tlsYaml, pg.host());
    }

    private static PgmuxServer start(String tlsYaml, String host) throws InterruptedException {
        String yaml = """
                listen: 127.0.0.1:0
                %s
                pool:
                  mode: session
                  default_pool_size: 2
                timeouts:
                  server_connect_timeout: 5s
                  query_wait_timeout: 5s
                  server_login_retry: 1s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                """.formatted(tlsYaml, pg.database(), host, pg.port(), pg.user(), pg.password());
        return new PgmuxServer(ConfigLoader.fromYaml(yaml)).start();
    }

    /** Whether the backend pgmux gives this client is on TLS, as PostgreSQL itself reports. */
    private static boolean backendUsesTls(PgmuxServer server) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/"
                + pg.database(), p); Statement s = c.createStatement()) {
            return "t".equals(single(s, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
        }
    }

    private static void awaitServerTls() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("sslmode", "verify-ca");
        p.setProperty("sslrootcert", caFile.toString());
        SQLException last = null;
        for (int i = 0; i < 100; i++) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), p)) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("PostgreSQL did not start serving TLS", last);
    }

    private static void copyPrivate(Path source, Path target) throws Exception {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
