// Verifies case-insensitive parsing and configuration names of the configuration enums.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigEnumsTest {

    @Test
    void poolModeParsesIgnoringCaseAndRoundTrips() {
        assertThat(PoolMode.parse("Transaction")).isEqualTo(PoolMode.TRANSACTION);
        for (PoolMode mode : PoolMode.values()) {
            assertThat(PoolMode.parse(mode.configName())).isEqualTo(mode);
        }
        assertThat(PoolMode.STATEMENT.configName()).isEqualTo("statement");
    }

    @Test
    void poolModeErrorListsAllowedValues() {
        assertThatThrownBy(() -> PoolMode.parse("sesion"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("must be one of session, transaction, statement, got 'sesion'");
        assertThatThrownBy(() -> PoolMode.parse(null)).hasMessageContaining("must be one of");
    }

    @Test
    void authTypeNames() {
        assertThat(AuthType.parse("SCRAM-SHA-256")).isEqualTo(AuthType.SCRAM_SHA_256);
        assertThat(AuthType.parse("md5")).isEqualTo(AuthType.MD5);
        assertThat(AuthType.parse("trust")).isEqualTo(AuthType.TRUST);
        assertThat(AuthType.SCRAM_SHA_256.configName()).isEqualTo("scram-sha-256");
        assertThatThrownBy(() -> AuthType.parse("scram_sha_256"))
                .hasMessage("must be one of trust, md5, scram-sha-256, password, reject, got 'scram_sha_256'");
    }

    @Test
    void transportNames() {
        assertThat(TransportType.parse("io_uring")).isEqualTo(TransportType.IO_URING);
        assertThat(TransportType.parse("EPOLL")).isEqualTo(TransportType.EPOLL);
        assertThat(TransportType.parse("auto")).isEqualTo(TransportType.AUTO);
        assertThat(TransportType.parse("nio")).isEqualTo(TransportType.NIO);
        assertThatThrownBy(() -> TransportType.parse("kqueue", "PGMUX_TRANSPORT"))
                .hasMessage("PGMUX_TRANSPORT: must be one of auto, io_uring, epoll, nio, got 'kqueue'");
    }

    @Test
    void passwordKinds() {
        assertThat(PasswordKind.of(null)).isEqualTo(PasswordKind.NONE);
        assertThat(PasswordKind.of("secret")).isEqualTo(PasswordKind.PLAIN);
        assertThat(PasswordKind.of("md56a422f785c9e20873908ce25d1736ae2")).isEqualTo(PasswordKind.MD5_HASH);
        // Not 32 lower-case hex digits, so it is somebody's literal password.
        assertThat(PasswordKind.of("md5NOTAHASH")).isEqualTo(PasswordKind.PLAIN);
        assertThat(PasswordKind.of(FullYamlTest.SCRAM_SECRET)).isEqualTo(PasswordKind.SCRAM_SECRET);
    }
}
