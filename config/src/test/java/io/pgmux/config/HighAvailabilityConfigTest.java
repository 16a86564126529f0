// Verifies the keys of a database served by several hosts: hosts, target_session_attrs, failover_hold_timeout.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HighAvailabilityConfigTest {

    @Test
    void hostsListWithRolesAndHold() {
        DatabaseConfig app = load("""
                databases:
                  app:
                    hosts: [db1:5432, db2, "[::1]:6432"]
                    target_session_attrs: read-write
                    failover_hold_timeout: 12s
                """).database("app");
        assertThat(app.hosts()).containsExactly(new HostPort("db1", 5432), new HostPort("db2", 5432),
                new HostPort("::1", 6432));
        assertThat(app.host()).isEqualTo("db1");
        assertThat(app.port()).isEqualTo(5432);
        assertThat(app.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.READ_WRITE);
        assertThat(app.failoverHoldTimeout()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void healthChecksAndReplicaLagLimit() {
        PgmuxConfig config = load("""
                databases:
                  app_ro:
                    hosts: [db1, db2]
                    health_check_period: 2s
                    max_replica_lag: 500ms
                  app: {hosts: [db1, db2]}
                  unchecked: {hosts: [db1, db2], health_check_period: 0}
                """);
        assertThat(config.database("app_ro").healthCheckPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.database("app_ro").maxReplicaLag()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.database("app").healthCheckPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.database("app").maxReplicaLag()).as("no limit").isZero();
        assertThat(config.database("unchecked").healthCheckPeriod()).isZero();
    }

    @Test
    void singleHostKeepsItsMeaningAndTheDefaults() {
        DatabaseConfig app = load("""
                databases:
                  app: {host: db1, port: 5433}
                """).database("app");
        assertThat(app.hosts()).containsExactly(new HostPort("db1", 5433));
        assertThat(app.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
        assertThat(app.failoverHoldTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void hostsAsCommaSeparatedTextAndEveryLibpqRole() {
        DatabaseConfig app = load("""
                databases:
                  app: {hosts: "db1:5432, db2:5433", target_session_attrs: prefer_standby}
                """).database("app");
        assertThat(app.hosts()).containsExactly(new HostPort("db1", 5432), new HostPort("db2", 5433));
        assertThat(app.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.PREFER_STANDBY);
        for (String text : new String[] {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"}) {
            assertThat(TargetSessionAttrs.parse(text, "x").text()).isEqualTo(text);
        }
    }

    @Test
    void rolesSayWhichServersTheyAccept() {
        assertThat(TargetSessionAttrs.READ_WRITE.acceptsStandby()).isFalse();
        assertThat(TargetSessionAttrs.PRIMARY.acceptsStandby()).isFalse();
        assertThat(TargetSessionAttrs.STANDBY.acceptsPrimary()).isFalse();
        assertThat(TargetSessionAttrs.READ_ONLY.acceptsPrimary()).isFalse();
        assertThat(TargetSessionAttrs.PREFER_STANDBY.acceptsPrimary()).isTrue();
        assertThat(TargetSessionAttrs.PREFER_STANDBY.acceptsStandby()).isTrue();
        assertThat(TargetSessionAttrs.ANY.acceptsPrimary() && TargetSessionAttrs.ANY.acceptsStandby()).isTrue();
    }

    @Test
    void mistakesAreNamedPrecisely() {
        assertThatThrownBy(() -> load("""
                databases:
                  app: {hosts: [db1, db2], host: db1}
                """)).hasMessage("databases.app.hosts: give either hosts or host and port, not both");
        assertThatThrownBy(() -> load("""
                databases:
                  app: {hosts: [db1, "db1:5432"]}
                """)).hasMessageStartingWith("databases.app.hosts: names the same host twice");
        assertThatThrownBy(() -> load("""
                databases:
                  app: {hosts: [db1, "db2:0"]}
                """)).hasMessage("databases.app.hosts port: must be 1..65535, got 0");
        assertThatThrownBy(() -> load("""
                databases:
                  app: {hosts: [db1], target_session_attrs: master}
                """)).hasMessageStartingWith("databases.app.target_session_attrs: must be one of any, read-write");
        assertThatThrownBy(() -> load("""
                databases:
                  app: {hosts: []}
                """)).hasMessageContaining("databases.app.hosts");
    }

    private static PgmuxConfig load(String databases) {
        return ConfigLoader.fromYaml("auth_type: trust\n" + databases);
    }
}
