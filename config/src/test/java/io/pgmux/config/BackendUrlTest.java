// Verifies parsing of the quick-start backend URL and what it adds to the configuration.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendUrlTest {

    @Test
    void parsesAllParts() {
        BackendUrl url = BackendUrl.parse("postgresql://app:secret@db.internal:6543/appdb", "--backend");
        assertThat(url).isEqualTo(new BackendUrl("app", "secret", "db.internal", 6543, "appdb"));
    }

    @Test
    void portDefaultsTo5432AndPostgresSchemeIsAccepted() {
        BackendUrl url = BackendUrl.parse("postgres://app:secret@db.internal/appdb", "--backend");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.host()).isEqualTo("db.internal");
    }

    @Test
    void decodesPercentEscapesButKeepsPlus() {
        BackendUrl url = BackendUrl.parse("postgresql://app%40corp:p%40ss%3Aw%2Frd+x%C3%A9@h/my%20db", "--backend");
        assertThat(url.user()).isEqualTo("app@corp");
        assertThat(url.password()).isEqualTo("p@ss:w/rd+xé");
        assertThat(url.database()).isEqualTo("my db");
    }

    @Test
    void acceptsUnescapedAtSignInPasswordAndIpv6Host() {
        BackendUrl url = BackendUrl.parse("postgresql://app:p@ss@[::1]:5433/db", "--backend");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.port()).isEqualTo(5433);
    }

    @Test
    void passwordIsOptional() {
        assertThat(BackendUrl.parse("postgresql://app@h/db", "--backend").password()).isNull();
        assertThat(BackendUrl.parse("postgresql://app:@h/db", "--backend").password()).isNull();
    }

    @Test
    void rejectsMalformedUrlsWithoutRevealingThePassword() {
        assertRejected("postgresql://app:hunter2@h/db?sslmode=require", "--backend: query parameters are not supported");
        assertRejected("postgresql://app:hunter2@h:5432", "--backend: must name a database");
        assertRejected("postgresql://app:hunter2@h/", "--backend: must name a database");
        assertRejected("postgresql://h/db", "--backend: must include a user");
        assertRejected("postgresql://:hunter2@h/db", "--backend: must include a user");
        assertRejected("mysql://app:hunter2@h/db", "--backend: must start with postgresql:// or postgres://");
        assertRejected("postgresql://app:hunter2@h:0/db", "--backend port: must be 1..65535, got 0");
        assertRejected("postgresql://app:hunter2@h:99999/db", "--backend port: must be 1..65535, got 99999");
        assertRejected("postgresql://app:hunter2@h1,,h2/db", "--backend: must name a host");
        assertRejected("postgresql://app:hunter2@h1,h1:5432/db", "--backend: names the same host twice");
        assertRejected("postgresql://app:hunter2@h1,h2:0/db", "--backend port: must be 1..65535, got 0");
        assertRejected("postgresql://app:hunter%2@h/db", "--backend: invalid percent-encoding in the password");
        assertRejected("postgresql://app:hunter2@/db", "--backend: must name a host");
    }

    @Test
    void parsesLibpqMultiHostForm() {
        BackendUrl url = BackendUrl.parse("postgresql://app:secret@h1:5433,h2,[::1]:6000/appdb", "--backend");
        assertThat(url.host()).isEqualTo("h1");
        assertThat(url.port()).isEqualTo(5433);
        assertThat(url.hosts()).containsExactly(new HostPort("h1", 5433), new HostPort("h2", 5432),
                new HostPort("::1", 6000));
        assertThat(url.toString()).isEqualTo("postgresql://app:***@h1:5433,h2:5432,[::1]:6000/appdb");
    }

    @Test
    void multiHostUrlDefinesDatabaseWithEveryHost() {
        QuickStartSettings flags = new QuickStartSettings("postgresql://app:pw@h1:5432,h2:5433/sales",
                null, null, null, null, null);
        DatabaseConfig sales = ConfigLoader.load(null, Map.of(), flags).database("sales");
        assertThat(sales.hosts()).containsExactly(new HostPort("h1", 5432), new HostPort("h2", 5433));
        assertThat(sales.host()).isEqualTo("h1");
        assertThat(sales.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.ANY);
    }

    @Test
    void toStringMasksPassword() {
        BackendUrl url = BackendUrl.parse("postgresql://app:hunter2@h/db", "--backend");
        assertThat(url.toString()).isEqualTo("postgresql://app:***@h:5432/db").doesNotContain("hunter2");
    }

    @Test
    void definesDatabaseAndMatchingClientUser() {
        QuickStartSettings flags = new QuickStartSettings("postgresql://app:s%2Bcret@10.1.2.3/sales",
                null, null, null, null, null);
        PgmuxConfig config = ConfigLoader.load(null, Map.of(), flags);
        assertThat(config.databases()).containsOnlyKeys("sales");
        assertThat(config.database("sales")).isEqualTo(
                new DatabaseConfig("sales", "10.1.2.3", 5432, "sales", "app", "s+cret", null, null, null));
        assertThat(config.users()).containsOnlyKeys("app");
        assertThat(config.user("app").password()).isEqualTo("s+cret");
    }

    @Test
    void flagReplacesFileDatabaseOfSameNameAndKeepsOthers() {
        String yaml = """
                databases:
                  sales: {host: old-host, pool_size: 3}
                  other: {host: other-host}
                users:
                  app: {password: old}
                  bob: {password: bob}
                """;
        QuickStartSettings flags = new QuickStartSettings("postgresql://app:new@new-host/sales",
                null, null, null, null, null);
        PgmuxConfig config = ConfigLoader.load(write(yaml), Map.of(), flags);
        assertThat(config.database("sales").host()).isEqualTo("new-host");
        assertThat(config.database("sales").poolSize()).isNull();
        assertThat(config.database("other").host()).isEqualTo("other-host");
        assertThat(config.user("app").password()).isEqualTo("new");
        assertThat(config.user("bob").password()).isEqualTo("bob");
    }

    @Test
    void backendWithoutPasswordFailsUnderMd5AndWorksUnderTrust() {
        QuickStartSettings flags = new QuickStartSettings("postgresql://app@h/db", null, null, null, null, null);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), flags))
                .hasMessage("users.app.password: is required for user 'app' when auth_type is md5");
        PgmuxConfig trust = ConfigLoader.load(null, Map.of("PGMUX_AUTH_TYPE", "trust"), flags);
        assertThat(trust.database("db").user()).isEqualTo("app");
    }

    private static void assertRejected(String url, String messageStart) {
        assertThatThrownBy(() -> BackendUrl.parse(url, "--backend"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(messageStart)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    private static java.nio.file.Path write(String yaml) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("pgmux", ".yaml");
            file.toFile().deleteOnExit();
            return java.nio.file.Files.writeString(file, yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
