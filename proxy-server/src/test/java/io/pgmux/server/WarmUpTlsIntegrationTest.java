package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.config.ConfigLoader;
import io.pgmux.server.warmup.WarmUp;
import io.pgmux.testing.DetectLeaks;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With client TLS configured, some of the warm-up's synthetic clients log in over TLS with the real certificate. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WarmUpTlsIntegrationTest {

    @Test
    void someSyntheticClientsHandshakeWithTheRealCertificate(@TempDir Path dir) throws Exception {
        TestCertificates.Issued server = TestCertificates.newAuthority("pgmux-warmup-ca").issueServer(dir, "server");
        WarmUp warmUp = new WarmUp(ConfigLoader.fromYaml("""
                listen: 127.0.0.1:0
                auth_type: scram-sha-256
                client_tls_sslmode: require
                client_tls_cert_file: %s
                client_tls_key_file: %s
                warmup: 2s
                databases:
                  app: {host: 127.0.0.1, port: 1}
                users:
                  app: {password: secret}
                """.formatted(server.certFile(), server.keyFile())));
        warmUp.begin();
        WarmUp.Result result = warmUp.finished().get(30, TimeUnit.SECONDS);
        assertThat(result.failures()).isZero();
        assertThat(result.tlsLogins()).isPositive().isLessThan(result.logins());
    }
}
