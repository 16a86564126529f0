// Verifies that every key of a fully specified YAML file reaches the records.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FullYamlTest {

    static final String SCRAM_SECRET = "SCRAM-SHA-256$4096:Y0ea1poJCyWCd+yPum+ZQQ==$"
            + "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs=:PiPoFgA5WUoziU9lZOGxNIu9egCI1CxKy3PurtWcAJ0=";

    private static final String FULL = """
            listen: 0.0.0.0:7432
            admin_listen: "[::1]:9930"
            transport: NIO
            worker_threads: 3
            max_message_length: 65536
            max_parsed_message_length: 16384
            auth_type: scram-sha-256
            pool:
              mode: session
              default_pool_size: 30
              min_pool_size: 2
              reserve_pool_size: 5
              reserve_pool_timeout: 250ms
              max_db_connections: 100
              max_user_connections: 50
              max_client_conn: 500
              server_reset_query: ""
              server_check_query: SELECT 2
              pinning: refuse
              track_extra_parameters: [Search_Path, statement_timeout, pg_stat_statements.track]
              max_prepared_statements: 0
            timeouts:
              client_login_timeout: 10s
              query_wait_timeout: 2m
              server_connect_timeout: 3
              server_idle_timeout: 1h
              server_lifetime: 90m
              server_login_retry: 500ms
              client_idle_timeout: 30m
              idle_transaction_timeout: 0
              query_timeout: 45s
              shutdown_timeout: 5s
              query_wait_notify: 0
              server_check_delay: 0
            databases:
              app:
                host: 10.0.0.5
                port: 6543
                dbname: app_production
                user: app_owner
                password: "0777"
                pool_mode: statement
                pool_size: 7
                pinning: pin
              reporting:
                host: replica.internal
            users:
              alice:
                password: %s
                pool_mode: session
              bob:
                password: yes
                pinning: PIN
            """.formatted(SCRAM_SECRET);

    private final PgmuxConfig config = ConfigLoader.fromYaml(FULL);

    @Test
    void topLevelKeys() {
        assertThat(config.listen()).isEqualTo(new HostPort("0.0.0.0", 7432));
        assertThat(config.adminListen()).isEqualTo(new HostPort("::1", 9930));
        assertThat(config.transport()).isEqualTo(TransportType.NIO);
        assertThat(config.workerThreads()).isEqualTo(3);
        assertThat(config.maxMessageLength()).isEqualTo(65536);
        assertThat(config.maxParsedMessageLength()).isEqualTo(16384);
        assertThat(config.authType()).isEqualTo(AuthType.SCRAM_SHA_256);
    }

    @Test
    void poolSection() {
        assertThat(config.pool()).isEqualTo(new PoolSettings(PoolMode.SESSION, 30, 2, 5, Duration.ofMillis(250),
                100, 50, 500, "", "SELECT 2", PinningPolicy.REFUSE,
                List.of("search_path", "statement_timeout", "pg_stat_statements.track"), 0));
    }

    @Test
    void timeoutsSection() {
        assertThat(config.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofMinutes(2),
                Duration.ofSeconds(3), Duration.ofHours(1), Duration.ofMinutes(90), Duration.ofMillis(500),
                Duration.ofMinutes(30), Duration.ZERO, Duration.ofSeconds(45), Duration.ofSeconds(5), Duration.ZERO,
                Duration.ZERO));
    }

    @Test
    void databasesKeepOrderAndValuesAsWritten() {
        assertThat(config.databases()).containsOnlyKeys("app", "reporting");
        assertThat(config.databases().keySet()).containsExactly("app", "reporting");
        // "0777" must stay text: no YAML 1.1 octal conversion of secrets.
        assertThat(config.database("app")).isEqualTo(new DatabaseConfig("app", "10.0.0.5", 6543, "app_production",
                "app_owner", "0777", PoolMode.STATEMENT, 7, PinningPolicy.PIN));
        assertThat(config.database("reporting").dbname()).isEqualTo("reporting");
    }

    @Test
    void usersKeepOrderAndPlainScalarsStayText() {
        assertThat(config.users().keySet()).containsExactly("alice", "bob");
        assertThat(config.user("alice").passwordKind()).isEqualTo(PasswordKind.SCRAM_SECRET);
        assertThat(config.user("alice").poolMode()).isEqualTo(PoolMode.SESSION);
        // A plain "yes" is a password here, not the YAML 1.1 boolean true.
        assertThat(config.user("bob").password()).isEqualTo("yes");
    }

    @Test
    void effectivePoolModeAndSize() {
        assertThat(config.poolMode("app", "alice")).isEqualTo(PoolMode.SESSION);
        assertThat(config.poolMode("app", "bob")).isEqualTo(PoolMode.STATEMENT);
        assertThat(config.poolMode("reporting", "bob")).isEqualTo(PoolMode.SESSION);
        assertThat(config.poolSize("app", "bob")).isEqualTo(7);
        assertThat(config.poolSize("reporting", "bob")).isEqualTo(30);
        assertThat(config.database("missing")).isNull();
        assertThat(config.user("missing")).isNull();
    }

    @Test
    void effectivePinningPolicyUserThenDatabaseThenPool() {
        assertThat(config.pinningPolicy("app", "alice")).isEqualTo(PinningPolicy.PIN); // database override
        assertThat(config.pinningPolicy("reporting", "bob")).isEqualTo(PinningPolicy.PIN); // user override
        assertThat(config.pinningPolicy("reporting", "alice")).isEqualTo(PinningPolicy.REFUSE); // pool default
        assertThat(config.pinningPolicy("missing", "nobody")).isEqualTo(PinningPolicy.REFUSE);
    }

    @Test
    void trackedParameterListIsUnmodifiable() {
        assertThatThrownBy(() -> config.pool().trackExtraParameters().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mapsAreUnmodifiable() {
        assertThatThrownBy(() -> config.databases().remove("app")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.users().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyOrNullSectionsMeanDefaults() {
        PgmuxConfig sparse = ConfigLoader.fromYaml("""
                admin_listen: ~
                pool:
                timeouts: {}
                databases:
                  app: {host: h}
                users:
                  app: {password: p}
                """);
        assertThat(sparse.adminListen()).isNull();
        assertThat(sparse.pool()).isEqualTo(PoolSettings.defaults());
        assertThat(sparse.timeouts()).isEqualTo(Timeouts.defaults());
    }
}
