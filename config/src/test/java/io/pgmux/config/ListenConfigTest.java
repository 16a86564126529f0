// pool.listen and pool.max_queued_notifications: defaults, accepted values and the messages for refused ones.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenConfigTest {

    private static final String DATABASES = """
            databases:
              app: {host: localhost}
            users:
              app: {password: secret}
            """;

    @Test
    void fanOutByDefault() {
        PoolSettings pool = ConfigLoader.fromYaml(DATABASES).pool();
        assertThat(pool.listen()).isEqualTo(ListenMode.FAN_OUT);
        assertThat(pool.maxQueuedNotifications()).isEqualTo(PoolSettings.DEFAULT_MAX_QUEUED_NOTIFICATIONS);
    }

    @Test
    void readFromThePoolSection() {
        PgmuxConfig config = ConfigLoader.fromYaml("pool:\n  listen: PIN\n  max_queued_notifications: 50\n"
                + DATABASES);
        assertThat(config.pool().listen()).isEqualTo(ListenMode.PIN);
        assertThat(config.pool().maxQueuedNotifications()).isEqualTo(50);
        assertThat(ConfigLoader.fromYaml("pool:\n  listen: fan-out\n" + DATABASES).pool().listen())
                .isEqualTo(ListenMode.FAN_OUT);
    }

    @Test
    void anUnknownModeIsRefusedWithTheChoicesListed() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  listen: fanout\n" + DATABASES))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen")
                .hasMessageContaining("must be one of fan-out, pin");
    }

    @Test
    void aZeroBoundIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  max_queued_notifications: 0\n" + DATABASES))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_queued_notifications");
    }
}
