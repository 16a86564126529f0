// Verifies the keys for server checks, pinning, tracked parameters and the wait notice: defaults, forms and errors.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class PoolHygieneSettingsTest {

    private static final String DATABASES = """
            databases:
              app: {host: localhost}
            users:
              app: {password: secret}
            """;

    private static AbstractThrowableAssert<?, ? extends Throwable> failure(String yaml) {
        return assertThatThrownBy(() -> ConfigLoader.fromYaml(yaml)).isInstanceOf(ConfigException.class);
    }

    @Test
    void defaults() {
        PgmuxConfig config = ConfigLoader.fromYaml(DATABASES);
        assertThat(config.timeouts().queryWaitNotify()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.timeouts().serverCheckDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.pool().serverCheckQuery()).isEqualTo("SELECT 1");
        assertThat(config.pool().pinning()).isEqualTo(PinningPolicy.PIN);
        assertThat(config.pool().trackExtraParameters()).isEmpty();
        assertThat(config.pinningPolicy("app", "app")).isEqualTo(PinningPolicy.PIN);
        assertThat(config.database("app").pinning()).isNull();
        assertThat(config.user("app").pinning()).isNull();
    }

    @Test
    void zeroTurnsTheWaitNoticeOffAndMakesTheCheckUnconditional() {
        PgmuxConfig config = ConfigLoader.fromYaml("timeouts:\n  query_wait_notify: 0\n  server_check_delay: 0\n"
                + DATABASES);
        assertThat(config.timeouts().queryWaitNotify()).isZero();
        assertThat(config.timeouts().serverCheckDelay()).isZero();
    }

    @Test
    void emptyCheckQueryMeansNoCheck() {
        PgmuxConfig config = ConfigLoader.fromYaml("pool:\n  server_check_query: \"\"\n" + DATABASES);
        assertThat(config.pool().serverCheckQuery()).isEmpty();
    }

    @Test
    void trackedParametersAcceptBlockAndFlowListsAndAreLowerCasedWithoutDuplicates() {
        PgmuxConfig block = ConfigLoader.fromYaml("""
                pool:
                  track_extra_parameters:
                    - Search_Path
                    - statement_timeout
                    - search_path
                    - myext.Setting
                """ + DATABASES);
        assertThat(block.pool().trackExtraParameters())
                .containsExactly("search_path", "statement_timeout", "myext.setting");
        PgmuxConfig flow = ConfigLoader.fromYaml("pool:\n  track_extra_parameters: [work_mem]\n" + DATABASES);
        assertThat(flow.pool().trackExtraParameters()).containsExactly("work_mem");
        PgmuxConfig empty = ConfigLoader.fromYaml("pool:\n  track_extra_parameters: []\n" + DATABASES);
        assertThat(empty.pool().trackExtraParameters()).isEmpty();
    }

    @Test
    void trackedParametersGivenAsOneValueAreCommaSeparated() {
        PgmuxConfig config = ConfigLoader.fromYaml("pool:\n  track_extra_parameters: \"work_mem, lock_timeout\"\n"
                + DATABASES);
        assertThat(config.pool().trackExtraParameters()).containsExactly("work_mem", "lock_timeout");
    }

    @Test
    void invalidTrackedParametersAreRejected() {
        failure("pool:\n  track_extra_parameters: [search_path, \"1bad\"]\n" + DATABASES)
                .hasMessageStartingWith("pool.track_extra_parameters: must be a list of parameter names")
                .hasMessageEndingWith("got '1bad'");
        failure("pool:\n  track_extra_parameters: [\"a; DROP TABLE x\"]\n" + DATABASES)
                .hasMessageEndingWith("got 'a; DROP TABLE x'");
        failure("pool:\n  track_extra_parameters: [[a]]\n" + DATABASES)
                .hasMessageStartingWith("pool.track_extra_parameters: list items must be single values");
        failure("pool:\n  track_extra_parameters:\n    a: b\n" + DATABASES)
                .hasMessage("pool.track_extra_parameters: must be a list, got a mapping");
    }

    @Test
    void listsAreStillRejectedWhereASingleValueOrMappingIsExpected() {
        failure("pool:\n  mode: [session]\n" + DATABASES).hasMessageStartingWith("pool.mode: lists are not supported here");
        failure("pool: [a]\n" + DATABASES).hasMessageStartingWith("pool: lists are not supported here");
    }

    @Test
    void pinningOverridesResolveUserThenDatabaseThenPool() {
        PgmuxConfig config = ConfigLoader.fromYaml("""
                pool:
                  pinning: refuse
                databases:
                  strict: {host: h}
                  lenient: {host: h, pinning: pin}
                users:
                  app: {password: p}
                  admin: {password: p, pinning: pin}
                  robot: {password: p, pinning: refuse}
                """);
        assertThat(config.pinningPolicy("strict", "app")).isEqualTo(PinningPolicy.REFUSE);
        assertThat(config.pinningPolicy("lenient", "app")).isEqualTo(PinningPolicy.PIN);
        assertThat(config.pinningPolicy("strict", "admin")).isEqualTo(PinningPolicy.PIN);
        assertThat(config.pinningPolicy("lenient", "robot")).isEqualTo(PinningPolicy.REFUSE);
    }

    @Test
    void invalidValuesNameTheKey() {
        failure("pool:\n  pinning: sometimes\n" + DATABASES)
                .hasMessage("pool.pinning: must be one of pin, refuse, got 'sometimes'");
        failure("""
                databases:
                  app: {host: localhost, pinning: never}
                users:
                  app: {password: secret}
                """).hasMessage("databases.app.pinning: must be one of pin, refuse, got 'never'");
        failure("""
                databases:
                  app: {host: localhost}
                users:
                  app: {password: secret, pinning: x}
                """).hasMessage("users.app.pinning: must be one of pin, refuse, got 'x'");
        failure("timeouts:\n  query_wait_notify: soon\n" + DATABASES)
                .hasMessageStartingWith("timeouts.query_wait_notify: must be a duration");
        failure("timeouts:\n  server_check_delay: -1s\n" + DATABASES)
                .hasMessageStartingWith("timeouts.server_check_delay: must be a duration");
    }

    @Test
    void pinningPolicyNames() {
        assertThat(PinningPolicy.parse("Refuse")).isEqualTo(PinningPolicy.REFUSE);
        assertThat(PinningPolicy.PIN.configName()).isEqualTo("pin");
        assertThat(PinningPolicy.REFUSE.configName()).isEqualTo("refuse");
        assertThatThrownBy(() -> PinningPolicy.parse("pinned", "users.x.pinning"))
                .hasMessage("users.x.pinning: must be one of pin, refuse, got 'pinned'");
    }

    @Test
    void unknownOverrideKeysAreStillTypos() {
        failure("""
                databases:
                  app: {host: localhost, pining: pin}
                users:
                  app: {password: secret}
                """).hasMessageStartingWith("unknown key 'databases.app.pining'").hasMessageContaining("'pinning'");
        assertThat(ConfigLoader.load(null, Map.of("PGMUX_BACKEND", "postgresql://u:p@h/db"), null)
                .pool().pinning()).isEqualTo(PinningPolicy.PIN);
    }
}
