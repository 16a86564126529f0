// Verifies admin_users and stats_users from the file, the environment and the flags.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {
    private static final String BASE = """
            databases:
              app: {host: h}
            users:
              app: {password: secret}
            """;

    @Test
    void consoleUsersDefaultToNobody() {
        AdminSettings admin = ConfigLoader.fromYaml(BASE).admin();
        assertThat(admin.adminUsers()).isEmpty();
        assertThat(admin.maySee("app")).isFalse();
    }

    @Test
    void fileListsAreRead() {
        AdminSettings admin = ConfigLoader.fromYaml(BASE + "admin_users: [ops, root]\nstats_users: monitor\n").admin();
        assertThat(admin.adminUsers()).containsExactly("ops", "root");
        assertThat(admin.statsUsers()).containsExactly("monitor");
        assertThat(admin.isAdmin("ops")).isTrue();
        assertThat(admin.isAdmin("monitor")).isFalse();
        assertThat(admin.maySee("monitor")).isTrue();
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() {
        QuickStartSettings flags = new QuickStartSettings("postgresql://app:s@h/app", null, null, null, null, null,
                "a,b", null);
        PgmuxConfig config = ConfigLoader.load(null, Map.of("PGMUX_ADMIN_USERS", "env", "PGMUX_STATS_USERS",
                "watcher, grafana"), flags);
        assertThat(config.admin().adminUsers()).containsExactly("a", "b");
        assertThat(config.admin().statsUsers()).containsExactly("watcher", "grafana");
    }

    @Test
    void blankNamesAreRejectedWithTheKey() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "admin_users: [' ']\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin_users");
    }
}
