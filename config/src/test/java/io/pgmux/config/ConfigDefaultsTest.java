// Verifies the documented defaults when only a database and a user are configured.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigDefaultsTest {

    private static final String MINIMAL = """
            databases:
              app:
                host: db.internal
            users:
              app:
                password: secret
            """;

    private final PgmuxConfig config = ConfigLoader.fromYaml(MINIMAL);

    @Test
    void topLevelDefaults() {
        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 6432));
        assertThat(config.adminListen()).isNull();
        assertThat(config.transport()).isEqualTo(TransportType.AUTO);
        assertThat(config.workerThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.maxMessageLength()).isEqualTo(1_073_741_824);
        assertThat(config.maxParsedMessageLength()).isEqualTo(64 * 1024 * 1024);
        assertThat(config.authType()).isEqualTo(AuthType.MD5);
    }

    @Test
    void poolDefaults() {
        PoolSettings pool = config.pool();
        assertThat(pool.mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(pool.defaultPoolSize()).isEqualTo(20);
        assertThat(pool.minPoolSize()).isZero();
        assertThat(pool.reservePoolSize()).isZero();
        assertThat(pool.reservePoolTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(pool.maxDbConnections()).isZero();
        assertThat(pool.maxUserConnections()).isZero();
        assertThat(pool.maxClientConn()).isEqualTo(10_000);
        assertThat(pool.serverResetQuery()).isEqualTo("DISCARD ALL");
        assertThat(pool).isEqualTo(PoolSettings.defaults());
    }

    @Test
    void timeoutDefaults() {
        Timeouts timeouts = config.timeouts();
        assertThat(timeouts.clientLoginTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(timeouts.queryWaitTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(timeouts.serverConnectTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(timeouts.serverIdleTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(timeouts.serverLifetime()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(timeouts.serverLoginRetry()).isEqualTo(Duration.ofSeconds(15));
        assertThat(timeouts.clientIdleTimeout()).isZero();
        assertThat(timeouts.idleTransactionTimeout()).isZero();
        assertThat(timeouts.queryTimeout()).isZero();
        assertThat(timeouts.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(timeouts).isEqualTo(Timeouts.defaults());
    }

    @Test
    void databaseDefaults() {
        DatabaseConfig app = config.database("app");
        assertThat(app.host()).isEqualTo("db.internal");
        assertThat(app.port()).isEqualTo(5432);
        assertThat(app.dbname()).isEqualTo("app");
        assertThat(app.user()).isNull();
        assertThat(app.password()).isNull();
        assertThat(app.poolMode()).isNull();
        assertThat(app.poolSize()).isNull();
    }

    @Test
    void userDefaults() {
        UserConfig app = config.user("app");
        assertThat(app.password()).isEqualTo("secret");
        assertThat(app.poolMode()).isNull();
        assertThat(app.passwordKind()).isEqualTo(PasswordKind.PLAIN);
    }

    @Test
    void trustNeedsNoUsers() {
        PgmuxConfig trust = ConfigLoader.fromYaml("""
                auth_type: trust
                databases:
                  app: {host: localhost}
                """);
        assertThat(trust.users()).isEmpty();
        assertThat(trust.authType()).isEqualTo(AuthType.TRUST);
    }
}
