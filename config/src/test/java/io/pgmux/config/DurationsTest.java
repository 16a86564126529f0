// Verifies duration parsing: units, plain seconds, zero handling and error messages.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, 250",
        "15s, 15000",
        "2m, 120000",
        "1h, 3600000",
        "42, 42000",
        "' 3 S ', 3000",
        "10MS, 10",
        "0, 0",
    })
    void parsesUnitsAndPlainSeconds(String text, long expectedMillis) {
        assertThat(Durations.parse(text, "timeouts.x", true)).isEqualTo(Duration.ofMillis(expectedMillis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "1.5s", "-1s", "10 minutes", "1d", "5 ms ms", "PT5S"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "timeouts.x", true))
                .isInstanceOf(ConfigException.class)
                .hasMessage("timeouts.x: must be a duration like 250ms, 15s, 2m, 1h or a plain number of seconds, got '"
                        + text + "'");
    }

    @Test
    void zeroOnlyWhereItMeansDisabled() {
        assertThat(Durations.parse("0s", "timeouts.query_timeout", true)).isZero();
        assertThatThrownBy(() -> Durations.parse("0ms", "timeouts.shutdown_timeout", false))
                .hasMessage("timeouts.shutdown_timeout: must be greater than 0, got '0ms'");
    }

    @Test
    void hugeValuesAreReportedNotOverflowed() {
        assertThatThrownBy(() -> Durations.parse("9999999999999999999999h", "timeouts.x", true))
                .hasMessage("timeouts.x: duration is too large, got '9999999999999999999999h'");
        assertThatThrownBy(() -> Durations.parse("9223372036854775807h", "timeouts.x", true))
                .hasMessageContaining("too large");
    }

    @Test
    void zeroDisablesDocumentedTimeoutsThroughTheLoader() {
        PgmuxConfig config = ConfigLoader.fromYaml("""
                auth_type: trust
                timeouts: {client_idle_timeout: 0, idle_transaction_timeout: 0s, query_timeout: 0ms}
                databases:
                  app: {host: h}
                """);
        assertThat(config.timeouts().clientIdleTimeout()).isZero();
        assertThat(config.timeouts().idleTransactionTimeout()).isZero();
        assertThat(config.timeouts().queryTimeout()).isZero();
    }
}
