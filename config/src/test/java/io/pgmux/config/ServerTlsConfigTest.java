package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerTlsConfigTest {
    private static final String BASE = "auth_type: trust\ndatabases:\n  app: {host: db}\n";

    @Test
    void preferIsTheDefault() {
        ServerTlsSettings tls = ConfigLoader.fromYaml(BASE).auth().serverTls();
        assertThat(tls.mode()).isEqualTo(ServerTlsMode.PREFER);
        assertThat(tls.caFile()).isNull();
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void everyKeyIsRead() {
        ServerTlsSettings tls = ConfigLoader.fromYaml(BASE + """
                server_tls_sslmode: verify-full
                server_tls_ca_file: ca.pem
                server_tls_cert_file: client.crt
                server_tls_key_file: client.key
                server_tls_protocols: TLSv1.3
                """).auth().serverTls();
        assertThat(tls.mode()).isEqualTo(ServerTlsMode.VERIFY_FULL);
        assertThat(tls.mode().verifiesCertificate()).isTrue();
        assertThat(tls.caFile()).isEqualTo(Path.of("ca.pem"));
        assertThat(tls.certFile()).isEqualTo(Path.of("client.crt"));
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void certificateWithoutKeyIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "server_tls_cert_file: client.crt\n"))
                .hasMessageStartingWith("server_tls_key_file: is required");
    }

    @Test
    void unknownModeIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "server_tls_sslmode: allow\n"))
                .hasMessageStartingWith("server_tls_sslmode: must be one of disable, prefer, require");
    }
}
