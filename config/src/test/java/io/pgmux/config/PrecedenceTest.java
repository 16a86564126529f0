// Verifies that environment variables override the file and flags override both.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecedenceTest {

    private static final String FILE = """
            listen: 127.0.0.1:1111
            admin_listen: 127.0.0.1:2222
            transport: nio
            auth_type: md5
            pool:
              mode: session
              default_pool_size: 11
              max_client_conn: 111
            databases:
              app: {host: file-host}
            users:
              app: {password: file-secret}
            """;

    private static final Map<String, String> ENV = Map.of(
            "PGMUX_LISTEN", "127.0.0.1:3333",
            "PGMUX_ADMIN_LISTEN", "127.0.0.1:4444",
            "PGMUX_POOL_MODE", "statement",
            "PGMUX_POOL_SIZE", "22",
            "PGMUX_MAX_CLIENT_CONN", "222",
            "PGMUX_AUTH_TYPE", "trust",
            "PGMUX_TRANSPORT", "epoll",
            "UNRELATED", "ignored");

    private static final QuickStartSettings FLAGS =
            new QuickStartSettings(null, "0.0.0.0:5555", PoolMode.TRANSACTION, 33, 333, "127.0.0.1:6666");

    @TempDir
    Path dir;

    private Path file() throws IOException {
        return Files.writeString(dir.resolve("pgmux.yaml"), FILE);
    }

    @Test
    void fileAloneIsUsed() throws IOException {
        PgmuxConfig config = ConfigLoader.load(file(), Map.of(), QuickStartSettings.none());
        assertThat(config.listen().port()).isEqualTo(1111);
        assertThat(config.pool().mode()).isEqualTo(PoolMode.SESSION);
        assertThat(config.pool().defaultPoolSize()).isEqualTo(11);
    }

    @Test
    void environmentOverridesFile() throws IOException {
        PgmuxConfig config = ConfigLoader.load(file(), ENV, QuickStartSettings.none());
        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 3333));
        assertThat(config.adminListen()).isEqualTo(new HostPort("127.0.0.1", 4444));
        assertThat(config.pool().mode()).isEqualTo(PoolMode.STATEMENT);
        assertThat(config.pool().defaultPoolSize()).isEqualTo(22);
        assertThat(config.pool().maxClientConn()).isEqualTo(222);
        assertThat(config.authType()).isEqualTo(AuthType.TRUST);
        assertThat(config.transport()).isEqualTo(TransportType.EPOLL);
        assertThat(config.database("app").host()).isEqualTo("file-host");
    }

    @Test
    void flagsOverrideEnvironmentAndFile() throws IOException {
        PgmuxConfig config = ConfigLoader.load(file(), ENV, FLAGS);
        assertThat(config.listen()).isEqualTo(new HostPort("0.0.0.0", 5555));
        assertThat(config.adminListen()).isEqualTo(new HostPort("127.0.0.1", 6666));
        assertThat(config.pool().mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(config.pool().defaultPoolSize()).isEqualTo(33);
        assertThat(config.pool().maxClientConn()).isEqualTo(333);
        // Not settable by flags, so the environment still wins over the file.
        assertThat(config.transport()).isEqualTo(TransportType.EPOLL);
    }

    @Test
    void blankEnvironmentValuesCountAsUnset() throws IOException {
        PgmuxConfig config = ConfigLoader.load(file(), Map.of("PGMUX_POOL_MODE", " "), null);
        assertThat(config.pool().mode()).isEqualTo(PoolMode.SESSION);
    }

    @Test
    void backendFromEnvironmentAndFlagsAreMergedWithFileDatabases() throws IOException {
        Map<String, String> env = Map.of("PGMUX_BACKEND", "postgresql://app:env-secret@env-host/app");
        QuickStartSettings flags = new QuickStartSettings("postgres://rep:pw@flag-host:7000/reports",
                null, null, null, null, null);
        PgmuxConfig config = ConfigLoader.load(file(), env, flags);
        assertThat(config.databases().keySet()).containsExactly("app", "reports");
        assertThat(config.database("app").host()).isEqualTo("env-host");
        assertThat(config.user("app").password()).isEqualTo("env-secret");
        assertThat(config.database("reports").port()).isEqualTo(7000);
        assertThat(config.user("rep").password()).isEqualTo("pw");
    }

    @Test
    void flagBackendReplacesEnvironmentBackendOfSameName() {
        Map<String, String> env = Map.of("PGMUX_BACKEND", "postgresql://u:p1@env-host/app");
        QuickStartSettings flags = new QuickStartSettings("postgresql://u:p2@flag-host/app", null, null, null, null, null);
        PgmuxConfig config = ConfigLoader.load(null, env, flags);
        assertThat(config.database("app").host()).isEqualTo("flag-host");
        assertThat(config.user("u").password()).isEqualTo("p2");
    }

    @Test
    void invalidEnvironmentValuesNameTheVariable() {
        Map<String, String> backend = Map.of("PGMUX_BACKEND", "postgresql://u:p@h/db");
        assertThatThrownBy(() -> ConfigLoader.load(null, with(backend, "PGMUX_POOL_MODE", "sesion"), null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PGMUX_POOL_MODE: must be one of session, transaction, statement, got 'sesion'");
        assertThatThrownBy(() -> ConfigLoader.load(null, with(backend, "PGMUX_POOL_SIZE", "many"), null))
                .hasMessage("PGMUX_POOL_SIZE: must be an integer, got 'many'");
        assertThatThrownBy(() -> ConfigLoader.load(null, with(backend, "PGMUX_MAX_CLIENT_CONN", "0"), null))
                .hasMessage("PGMUX_MAX_CLIENT_CONN: must be >= 1, got 0");
        assertThatThrownBy(() -> ConfigLoader.load(null, with(backend, "PGMUX_LISTEN", "nowhere"), null))
                .hasMessageStartingWith("PGMUX_LISTEN: must be HOST:PORT");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("PGMUX_BACKEND", "mysql://u:p@h/db"), null))
                .hasMessageStartingWith("PGMUX_BACKEND: must start with postgresql://");
    }

    @Test
    void invalidFlagValuesNameTheFlag() {
        QuickStartSettings flags = new QuickStartSettings("postgresql://u:p@h/db", null, null, 0, null, null);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), flags))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--pool-size: must be >= 1, got 0");
        QuickStartSettings listen = new QuickStartSettings("postgresql://u:p@h/db", "[::1", null, null, null, null);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), listen)).hasMessageStartingWith("--listen: ");
    }

    @Test
    void missingAndInvalidFilesAreReportedWithTheFileName() throws IOException {
        Path missing = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("configuration file not found: " + missing);
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "listen: 127.0.0.1:6432\npool: {mode: [\n");
        assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of(), null))
                .hasMessageStartingWith(broken + ": invalid YAML at line 3");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
