// pool.server_round_robin: off by default, PgBouncer's 1/0 accepted, the key named in an error.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerRoundRobinConfigTest {
    private static final String DATABASES = "databases:\n  app: {host: localhost}\nusers:\n  app: {password: s}\n";

    @Test
    void theMostRecentlyUsedServerConnectionIsLentByDefault() {
        assertThat(ConfigLoader.fromYaml(DATABASES).pool().serverRoundRobin()).isFalse();
        assertThat(PoolSettings.defaults().serverRoundRobin()).isFalse();
    }

    @Test
    void serverRoundRobinIsReadFromThePoolSection() {
        assertThat(ConfigLoader.fromYaml("pool: {server_round_robin: 1}\n" + DATABASES).pool().serverRoundRobin())
                .isTrue();
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool: {server_round_robin: often}\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pool.server_round_robin");
    }
}
