// Verifies the invariants the records enforce when constructed directly.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigRecordsTest {

    @Test
    void configCopiesMapsAndResolvesWorkerThreads() {
        Map<String, DatabaseConfig> databases = new LinkedHashMap<>();
        databases.put("b", new DatabaseConfig("b", "h", 5432, null, null, null, null, null, null));
        databases.put("a", new DatabaseConfig("a", "h", 5432, null, null, null, null, null, null));
        PgmuxConfig config = new PgmuxConfig(PgmuxConfig.DEFAULT_LISTEN, null, TransportType.AUTO, 0,
                PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT, AuthType.TRUST, PoolSettings.defaults(), Timeouts.defaults(),
                databases, Map.of());
        databases.clear();
        assertThat(config.databases().keySet()).containsExactly("b", "a");
        assertThat(config.workerThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.database("a").dbname()).isEqualTo("a");
    }

    @Test
    void toStringNeverShowsSecrets() {
        DatabaseConfig database = new DatabaseConfig("app", "h", 5432, null, "u", "hunter2", null, null, null);
        UserConfig user = new UserConfig("u", "hunter2", null, null);
        QuickStartSettings flags = new QuickStartSettings("postgresql://u:hunter2@h/db", null, null, null, null, null);
        assertThat(database.toString()).contains("password=***").doesNotContain("hunter2");
        assertThat(user.toString()).contains("password=***").doesNotContain("hunter2");
        assertThat(flags.toString()).doesNotContain("hunter2");
    }

    @Test
    void invalidDirectConstructionFails() {
        assertThatThrownBy(() -> new HostPort(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPort("h", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DatabaseConfig("a", "h", 0, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DatabaseConfig("a", "h", 1, null, null, null, null, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        PoolSettings nulls = new PoolSettings(PoolMode.SESSION, 1, 0, 0, java.time.Duration.ZERO, 0, 0, 1, null, null,
                PinningPolicy.PIN, null, 200);
        assertThat(nulls.serverResetQuery()).isEmpty();
        assertThat(nulls.serverCheckQuery()).isEmpty();
        assertThat(nulls.trackExtraParameters()).isEmpty();
        assertThatThrownBy(() -> new PoolSettings(PoolMode.SESSION, 1, 0, 0, java.time.Duration.ZERO, 0, 0, 1, null,
                null, null, null, 200)).isInstanceOf(NullPointerException.class);
    }
}
