package io.pgmux.server;

import static io.pgmux.server.AuthProxy.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Client certificates (verify-ca, verify-full) and certificate reload without dropping connections. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientCertificateIntegrationTest {
    @TempDir
    Path dir;
    final PostgresFixture pg = PostgresFixture.shared();

    @Test
    void verifyFullNeedsACertificateForTheUser() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority("client-ca");
        Path caFile = ca.writeCa(dir);
        TestCertificates.Issued server = ca.issueServer(dir, "server");
        TestCertificates.Issued mine = ca.issueClient(dir, "mine", pg.user());
        TestCertificates.Issued someoneElse = ca.issueClient(dir, "other", "somebody_else");
        try (AuthProxy proxy = new AuthProxy(tlsYaml("verify-full", server, caFile))) {
            assertThat(proxy.selectOne(pg.user(), pg.password(), withClientCertificate(caFile, mine))).isEqualTo(1);
            assertThatThrownBy(() -> proxy.selectOne(pg.user(), pg.password(),
                    withClientCertificate(caFile, someoneElse)))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("28000");
                        assertThat(e.getMessage()).contains("certificate authentication failed for user \""
                                + pg.user() + "\"");
                    });
            assertThatThrownBy(() -> proxy.selectOne(pg.user(), pg.password(),
                    props("sslmode", "verify-full", "sslrootcert", caFile.toString())))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void verifyCaRefusesCertificatesOfAnotherCa() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority("client-ca");
        Path caFile = ca.writeCa(dir);
        TestCertificates.Issued server = ca.issueServer(dir, "server");
        TestCertificates.Issued foreign = TestCertificates.newAuthority("foreign-ca")
                .issueClient(dir, "foreign", pg.user());
        TestCertificates.Issued anyName = ca.issueClient(dir, "any", "not_the_user");
        try (AuthProxy proxy = new AuthProxy(tlsYaml("verify-ca", server, caFile))) {
            // verify-ca checks the signature only, not the name.
            assertThat(proxy.selectOne(pg.user(), pg.password(), withClientCertificate(caFile, anyName))).isEqualTo(1);
            assertThatThrownBy(() -> proxy.selectOne(pg.user(), pg.password(), withClientCertificate(caFile, foreign)))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void reloadRereadsCertificatesAndKeepsConnections() throws Exception {
        TestCertificates first = TestCertificates.newAuthority("first-ca");
        TestCertificates second = TestCertificates.newAuthority("second-ca");
        Path firstCa = first.writeCa(dir);
        Path secondCa = second.writeCa(dir);
        TestCertificates.Issued server = first.issueServer(dir, "server");
        try (AuthProxy proxy = new AuthProxy(tlsYaml("require", server, null))) {
            Properties trustFirst = props("user", pg.user(), "password", pg.password(), "sslmode", "verify-full",
                    "sslrootcert", firstCa.toString());
            try (Connection before = DriverManager.getConnection(proxy.jdbcUrl(), trustFirst)) {
                second.issueServer(dir, "server"); // overwrites the files pgmux was started with
                proxy.server.reload(); // what RELOAD and SIGHUP run
                assertThat(selectOne(before)).isEqualTo(1);
                assertThat(proxy.selectOne(pg.user(), pg.password(),
                        props("sslmode", "verify-full", "sslrootcert", secondCa.toString()))).isEqualTo(1);
                assertThatThrownBy(() -> DriverManager.getConnection(proxy.jdbcUrl(), trustFirst).close())
                        .isInstanceOf(SQLException.class);
                assertThat(selectOne(before)).isEqualTo(1);
            }
        }
    }

    @Test
    void aBrokenFileOnReloadKeepsTheOldCertificate() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority("ca");
        Path caFile = ca.writeCa(dir);
        TestCertificates.Issued server = ca.issueServer(dir, "server");
        try (AuthProxy proxy = new AuthProxy(tlsYaml("require", server, null))) {
            java.nio.file.Files.writeString(server.keyFile(), "not a key");
            assertThatThrownBy(proxy.server::reloadCertificates).hasMessageContaining("client_tls_key_file");
            assertThat(proxy.selectOne(pg.user(), pg.password(),
                    props("sslmode", "verify-full", "sslrootcert", caFile.toString()))).isEqualTo(1);
        }
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Properties withClientCertificate(Path caFile, TestCertificates.Issued client) {
        return props("sslmode", "verify-full", "sslrootcert", caFile.toString(),
                "sslcert", client.certFile().toString(), "sslkey", client.derKeyFile().toString());
    }

    private static String tlsYaml(String mode, TestCertificates.Issued server, Path caFile) {
        return """
                client_tls_sslmode: %s
                client_tls_cert_file: %s
                client_tls_key_file: %s
                %s
                """.formatted(mode, server.certFile(), server.keyFile(),
                caFile == null ? "" : "client_tls_ca_file: " + caFile);
    }
}
