// tcp_keepalive and its timings: defaults, values, and the key named in an error.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpKeepaliveConfigTest {
    private static final String DATABASES = "databases:\n  app: {host: localhost}\nusers:\n  app: {password: s}\n";

    @Test
    void onWithTheOperatingSystemsTimingsByDefault() {
        TcpKeepalive tcp = ConfigLoader.fromYaml(DATABASES).tcp();
        assertThat(tcp).isEqualTo(TcpKeepalive.defaults());
        assertThat(tcp.enabled()).isTrue();
        assertThat(tcp.idleSeconds()).isZero();
        assertThat(tcp.count()).isZero();
    }

    @Test
    void readFromTheTopLevelWithSecondsRoundedUp() {
        TcpKeepalive tcp = ConfigLoader.fromYaml("""
                tcp_keepalive: 1
                tcp_keepidle: 45
                tcp_keepintvl: 1500ms
                tcp_keepcnt: 4
                tcp_user_timeout: 30s
                """ + DATABASES).tcp();
        assertThat(tcp.idle()).isEqualTo(Duration.ofSeconds(45));
        assertThat(tcp.intervalSeconds()).isEqualTo(2);
        assertThat(tcp.count()).isEqualTo(4);
        assertThat(tcp.userTimeoutMillis()).isEqualTo(30_000);
        assertThat(ConfigLoader.fromYaml("tcp_keepalive: false\n" + DATABASES).tcp().enabled()).isFalse();
    }

    @Test
    void badValuesNameTheirKeysAllAtOnce() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("tcp_keepalive: sometimes\ntcp_keepcnt: -1\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tcp_keepalive");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("tcp_keepcnt: -1\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tcp_keepcnt");
    }
}
