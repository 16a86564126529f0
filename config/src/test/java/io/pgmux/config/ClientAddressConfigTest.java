// application_name_add_host: default, PgBouncer's 1/0, and the key named in an error.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientAddressConfigTest {
    private static final String DATABASES = "databases:\n  app: {host: localhost}\nusers:\n  app: {password: s}\n";

    @Test
    void applicationNameIsLeftAloneByDefault() {
        assertThat(ConfigLoader.fromYaml(DATABASES).clientAddresses().applicationNameAddHost()).isFalse();
    }

    @Test
    void applicationNameAddHostTakesBooleansAndPgBouncersDigits() {
        assertThat(ConfigLoader.fromYaml("application_name_add_host: 1\n" + DATABASES).clientAddresses()
                .applicationNameAddHost()).isTrue();
        assertThat(ConfigLoader.fromYaml("application_name_add_host: true\n" + DATABASES).clientAddresses()
                .applicationNameAddHost()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.fromYaml("application_name_add_host: maybe\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("application_name_add_host");
    }
}
