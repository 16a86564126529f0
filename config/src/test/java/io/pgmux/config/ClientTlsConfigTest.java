package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientTlsConfigTest {
    private static final String BASE = """
            auth_type: trust
            databases:
              app: {host: db}
            """;

    @Test
    void tlsIsOffByDefault() {
        ClientTlsSettings tls = ConfigLoader.fromYaml(BASE).auth().clientTls();
        assertThat(tls.enabled()).isFalse();
        assertThat(tls.mode()).isEqualTo(ClientTlsMode.DISABLE);
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void certificateAndKeyAloneMeanPrefer() {
        ClientTlsSettings tls = ConfigLoader.fromYaml(BASE + """
                client_tls_cert_file: server.crt
                client_tls_key_file: server.key
                """).auth().clientTls();
        assertThat(tls.mode()).isEqualTo(ClientTlsMode.PREFER);
        assertThat(tls.certFile()).isEqualTo(Path.of("server.crt"));
        assertThat(tls.keyFile()).isEqualTo(Path.of("server.key"));
    }

    @Test
    void everyKeyIsRead() {
        ClientTlsSettings tls = ConfigLoader.fromYaml(BASE + """
                client_tls_sslmode: VERIFY-FULL
                client_tls_cert_file: server.crt
                client_tls_key_file: server.key
                client_tls_ca_file: ca.crt
                client_tls_protocols: [TLSv1.3]
                client_tls_ciphers: TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256
                """).auth().clientTls();
        assertThat(tls.mode()).isEqualTo(ClientTlsMode.VERIFY_FULL);
        assertThat(tls.caFile()).isEqualTo(Path.of("ca.crt"));
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.ciphers()).containsExactly("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
    }

    @Test
    void requireWithoutCertificateIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "client_tls_sslmode: require\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("client_tls_cert_file: is required when client_tls_sslmode is require");
    }

    @Test
    void verifyCaWithoutCaFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + """
                client_tls_sslmode: verify-ca
                client_tls_cert_file: server.crt
                client_tls_key_file: server.key
                """)).hasMessage("client_tls_ca_file: is required when client_tls_sslmode is verify-ca");
    }

    @Test
    void oldProtocolsAreRejected() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "client_tls_protocols: [TLSv1.1]\n"))
                .hasMessageContaining("client_tls_protocols").hasMessageContaining("TLSv1.1");
    }

    @Test
    void unknownModeNamesTheKey() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "client_tls_sslmode: always\n"))
                .hasMessageStartingWith("client_tls_sslmode: must be one of disable, allow, prefer, require");
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() {
        Map<String, String> env = Map.of("PGMUX_CLIENT_TLS_CERT", "env.crt", "PGMUX_CLIENT_TLS_KEY", "env.key",
                "PGMUX_CLIENT_TLS_SSLMODE", "require", "PGMUX_BACKEND", "postgresql://app:secret@db/app");
        PgmuxConfig fromEnv = ConfigLoader.load(null, env, QuickStartSettings.none());
        assertThat(fromEnv.auth().clientTls().certFile()).isEqualTo(Path.of("env.crt"));
        assertThat(fromEnv.auth().clientTls().mode()).isEqualTo(ClientTlsMode.REQUIRE);

        PgmuxConfig withFlags = ConfigLoader.load(null, env, QuickStartSettings.none(),
                new ClientTlsFlags("flag.crt", null, "verify-ca", "ca.crt"));
        ClientTlsSettings tls = withFlags.auth().clientTls();
        assertThat(List.of(tls.certFile(), tls.keyFile(), tls.caFile()))
                .containsExactly(Path.of("flag.crt"), Path.of("env.key"), Path.of("ca.crt"));
        assertThat(tls.mode()).isEqualTo(ClientTlsMode.VERIFY_CA);
    }

    @Test
    void badFlagValueNamesTheFlag() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PGMUX_BACKEND", "postgresql://app:s@db/app"),
                QuickStartSettings.none(), new ClientTlsFlags("a.crt", "a.key", "sometimes", null)))
                .hasMessageStartingWith("--client-tls-sslmode: must be one of");
    }
}
