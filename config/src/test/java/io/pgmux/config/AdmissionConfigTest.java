// The admission keys of the pool section: defaults, values, and the messages for wrong ones.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionConfigTest {

    private static final String DATABASES = """
            databases:
              app: {host: localhost}
            users:
              app: {password: secret}
            """;

    @Test
    void firstComeFirstServedWithoutDeadlinesByDefault() {
        AdmissionSettings admission = ConfigLoader.fromYaml(DATABASES).admission();
        assertThat(admission).isEqualTo(AdmissionSettings.defaults());
        assertThat(admission.fair()).isFalse();
        assertThat(admission.key()).isEqualTo(TenantKey.APPLICATION_NAME);
        assertThat(admission.defaultWaitDeadline()).isZero();
    }

    @Test
    void readFromThePoolSection() {
        AdmissionSettings admission = ConfigLoader.fromYaml("""
                pool:
                  tenant_queueing: fair
                  tenant_key: option
                  tenant_weights: {reports: 3, web: 1}
                  tenant_max_active: 2
                  tenant_max_waiting: 50
                  max_tenants: 10
                  default_wait_deadline: 2s
                """ + DATABASES).admission();
        assertThat(admission).isEqualTo(new AdmissionSettings(true, TenantKey.OPTION, Map.of("reports", 3, "web", 1),
                2, 50, 10, Duration.ofSeconds(2)));
        assertThat(admission.weight("reports")).isEqualTo(3);
        assertThat(admission.weight("anyone")).isEqualTo(1);
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  tenant_queueing: lottery\n" + DATABASES))
                .hasMessageContaining("pool.tenant_queueing").hasMessageContaining("must be fifo or fair");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  tenant_key: hostname\n" + DATABASES))
                .hasMessageContaining("pool.tenant_key")
                .hasMessageContaining("must be application_name, user, option or address");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  tenant_weights: {a: 0}\n" + DATABASES))
                .hasMessageContaining("pool.tenant_weights.a");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  max_tenants: 0\n" + DATABASES))
                .hasMessageContaining("pool.max_tenants");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("pool:\n  tenant_queueing: lottery\n  tenant_key: user\n"
                + DATABASES)).as("one error, the keys after it are not called typos")
                .hasMessageNotContaining("unknown key").hasMessageNotContaining("configuration errors");
    }
}
