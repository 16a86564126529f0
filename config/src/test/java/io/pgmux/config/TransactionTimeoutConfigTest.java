// timeouts.transaction_timeout: off by default, 0 allowed, a bad value refused with its key named.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransactionTimeoutConfigTest {
    private static final String DATABASES = "databases:\n  app: {host: localhost}\nusers:\n  app: {password: s}\n";

    @Test
    void offByDefault() {
        assertThat(ConfigLoader.fromYaml(DATABASES).timeouts().transactionTimeout()).isZero();
        assertThat(Timeouts.defaults().transactionTimeout()).isZero();
    }

    @Test
    void readFromTheTimeoutsSectionWhereZeroMeansOff() {
        assertThat(ConfigLoader.fromYaml("timeouts: {transaction_timeout: 90s}\n" + DATABASES).timeouts()
                .transactionTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConfigLoader.fromYaml("timeouts: {transaction_timeout: 0}\n" + DATABASES).timeouts()
                .transactionTimeout()).isZero();
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("timeouts: {transaction_timeout: soon}\n" + DATABASES))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timeouts.transaction_timeout");
    }
}
