// pool.max_waiting_clients: its default, the values it accepts and the message for the ones it refuses.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaxWaitingClientsConfigTest {

    private static final String DATABASES = """
            databases:
              app: {host: localhost}
            users:
              app: {password: secret}
            """;

    @Test
    void unboundedByDefault() {
        assertThat(ConfigLoader.fromYaml(DATABASES).pool().maxWaitingClients()).isZero();
        assertThat(PoolSettings.defaults().maxWaitingClients()).isZero();
    }

    @Test
    void readFromThePoolSection() {
        PgmuxConfig config = ConfigLoader.fromYaml("pool:\n  max_waiting_clients: 100\n" + DATABASES);
        assertThat(config.pool().maxWaitingClients()).isEqualTo(100);
    }

    @Test
    void aNegativeBoundIsRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  max_waiting_clients: -1\n" + DATABASES))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_waiting_clients");
    }

    @Test
    void theOldConstructorKeepsTheQueueUnbounded() {
        PoolSettings d = PoolSettings.defaults();
        PoolSettings old = new PoolSettings(d.mode(), d.defaultPoolSize(), d.minPoolSize(), d.reservePoolSize(),
                d.reservePoolTimeout(), d.maxDbConnections(), d.maxUserConnections(), d.maxClientConn(),
                d.serverResetQuery(), d.serverCheckQuery(), d.pinning(), d.trackExtraParameters(),
                d.maxPreparedStatements());
        assertThat(old).isEqualTo(d);
    }
}
