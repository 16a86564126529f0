package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.server.WebSocketTunnel.Cut;
import io.pgmux.testing.DetectLeaks;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the client TLS files configured, websocket_listen and http_listen use TLS (wss://, https://) with them, and
 * the session counts the WebSocket's TLS: client_tls_sslmode require is met, and the HTTP endpoint takes passwords
 * without auth_cleartext_without_tls.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebTransportsTlsIntegrationTest {
    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.newAuthority("pgmux-web-ca");
        TestCertificates.Issued server = ca.issueServer(dir, "server");
        proxy = TestProxy.start("transaction", 2, "md5", "", "", """
                client_tls_sslmode: require
                client_tls_cert_file: %s
                client_tls_key_file: %s
                websocket_listen: 127.0.0.1:0
                http_listen: 127.0.0.1:0
                """.formatted(server.certFile(), server.keyFile()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void secureWebSocketMeetsSslmodeRequire() throws Exception {
        try (RawClient wss = WebSocketTunnel.secureClient(proxy.server.websocketPort(), trustingTestCa(),
                Cut.EVERY_BYTE)) {
            wss.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            wss.sendQuery("SELECT 7");
            assertThat(wss.readUntil('D').body()).endsWith(new byte[] {'7'});
        }
    }

    @Test
    void plainWebSocketIsNotAnsweredOnTheTlsPort() {
        assertThatThrownBy(() -> WebSocketTunnel.client(proxy.server.websocketPort(), Cut.WHOLE).close())
                .isInstanceOf(Exception.class);
    }

    @Test
    void httpsEndpointTakesThePassword() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trustingTestCa()).build();
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + proxy.server.httpPort() + "/sql"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"SELECT 8 AS n\"}"))
                .header("Neon-Connection-String", "postgresql://" + encode(proxy.pg.user()) + ":"
                        + encode(proxy.pg.password()) + "@h/" + encode(proxy.pg.database()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"rows\":[{\"n\":\"8\"}]");
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
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
}
