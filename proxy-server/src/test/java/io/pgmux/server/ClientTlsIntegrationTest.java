package io.pgmux.server;

import static io.pgmux.server.AuthProxy.props;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** client_tls_sslmode require with a test CA: pgjdbc, psql, raw SSLRequest abuse and direct TLS. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientTlsIntegrationTest {
    @TempDir
    static Path dir;
    static TestCertificates ca;
    static Path caFile;
    static AuthProxy proxy;
    static final PostgresFixture pg = PostgresFixture.shared();

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.newAuthority("pgmux-test-ca");
        caFile = ca.writeCa(dir);
        TestCertificates.Issued server = ca.issueServer(dir, "server");
        proxy = new AuthProxy("""
                client_tls_sslmode: require
                client_tls_cert_file: %s
                client_tls_key_file: %s
                """.formatted(server.certFile(), server.keyFile()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void pgjdbcWithSslmodeRequireLogsIn() throws Exception {
        assertThat(proxy.selectOne(pg.user(), pg.password(), props("sslmode", "require"))).isEqualTo(1);
    }

    @Test
    void pgjdbcWithVerifyFullTrustsTheTestCa() throws Exception {
        assertThat(proxy.selectOne(pg.user(), pg.password(),
                props("sslmode", "verify-full", "sslrootcert", caFile.toString()))).isEqualTo(1);
    }

    @Test
    void pgjdbcWithVerifyFullRejectsAnotherCa() throws Exception {
        Path otherCa = TestCertificates.newAuthority("other-ca").writeCa(dir);
        assertThatThrownBy(() -> proxy.selectOne(pg.user(), pg.password(),
                props("sslmode", "verify-full", "sslrootcert", otherCa.toString())))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("SSL");
    }

    @Test
    void plainTextClientIsRefusedWithHbaStyleError() {
        assertThatThrownBy(() -> proxy.selectOne(pg.user(), pg.password(), props("sslmode", "disable")))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).contains("no pg_hba.conf entry for host \"127.0.0.1\", user \""
                            + pg.user() + "\", database \"" + pg.database() + "\", no encryption");
                });
    }

    @Test
    void wrongPasswordOverTlsIsStill28P01() {
        assertThatThrownBy(() -> proxy.selectOne(pg.user(), "wrong", props("sslmode", "require")))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void psqlWithSslmodeRequireAndVerifyFull() throws Exception {
        Psql.assumeInstalled();
        String base = "host=127.0.0.1 port=" + proxy.port() + " dbname=" + pg.database() + " user=" + pg.user();
        Psql.Result require = Psql.run(base + " sslmode=require", pg.password(), "SELECT 40 + 2");
        assertThat(require.output()).isEqualTo("42");
        Psql.Result verifyFull = Psql.run(base + " sslmode=verify-full sslrootcert=" + caFile, pg.password(),
                "SELECT 'verified'");
        assertThat(verifyFull.output()).isEqualTo("verified");
        Psql.Result plain = Psql.run(base + " sslmode=disable", pg.password(), "SELECT 1");
        assertThat(plain.exitCode()).isNotZero();
        assertThat(plain.output()).contains("no encryption");
    }

    @Test
    void plainTextBytesAfterSslRequestAreRefused() throws Exception {
        try (RawClient raw = new RawClient(proxy.port())) {
            // SSLRequest and a StartupMessage in one write: the startup must never be taken as if sent over TLS.
            byte[] startup = ("user\0" + pg.user() + "\0database\0" + pg.database() + "\0\0")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer both = ByteBuffer.allocate(8 + 8 + startup.length);
            both.putInt(8).putInt(80877103).putInt(8 + startup.length).putInt(196608).put(startup);
            raw.send(both.array());
            RawClient.Message error = raw.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('C', "08P01")
                    .containsEntry('M', "received unencrypted data after SSL request");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void directTlsWithAlpnPostgresqlIsAccepted() throws Exception {
        try (RawClient raw = new RawClient(directTlsSocket("postgresql"))) {
            raw.sendStartup(pg.user(), pg.database());
            RawClient.Message request = raw.read();
            assertThat(request.type()).isEqualTo('R'); // an authentication request: the login goes on over TLS
        }
    }

    @Test
    void directTlsWithoutAlpnIsClosed() throws Exception {
        try (RawClient raw = new RawClient(directTlsSocket(null))) {
            raw.sendStartup(pg.user(), pg.database());
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void sslRequestAfterTlsIsAProtocolViolation() throws Exception {
        try (RawClient raw = new RawClient(directTlsSocket("postgresql"))) {
            raw.out.writeInt(8);
            raw.out.writeInt(80877103);
            raw.out.flush();
            assertThat(raw.read().fields()).containsEntry('C', "08P01");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void gssEncRequestAfterTlsWasNegotiatedIsRefused() throws Exception {
        Socket plain = new Socket("127.0.0.1", proxy.port());
        plain.setSoTimeout(10_000);
        plain.getOutputStream().write(ByteBuffer.allocate(8).putInt(8).putInt(80877103).array());
        assertThat(plain.getInputStream().read()).isEqualTo('S');
        SSLSocket tls = (SSLSocket) trustingTestCa().getSocketFactory().createSocket(plain, "127.0.0.1",
                proxy.port(), true);
        tls.startHandshake();
        try (RawClient raw = new RawClient(tls)) {
            raw.send(ByteBuffer.allocate(8).putInt(8).putInt(80877104).array()); // GSSENCRequest, as PostgreSQL: no
            StartupOdditiesIntegrationTest.assertOneFatalThenClose(raw,
                    "unsupported frontend protocol 1234.5680: server supports 3.0 to 3.0");
        }
    }

    private static SSLContext trustingTestCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static SSLSocket directTlsSocket(String alpn) throws Exception {
        SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket(
                new Socket("127.0.0.1", proxy.port()), "127.0.0.1", proxy.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        if (alpn != null) {
            parameters.setApplicationProtocols(new String[] {alpn});
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

}
