// The limits a database or a user sets for itself, as PgBouncer's per-database and per-user settings do.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerDatabaseAndUserLimitsTest {

    private static final String FILE = """
            pool:
              default_pool_size: 10
              min_pool_size: 1
              reserve_pool_size: 2
              max_db_connections: 50
              max_user_connections: 40
              max_db_client_connections: 300
              max_user_client_connections: 200
            databases:
              app: {host: localhost}
              batch:
                host: localhost
                min_pool_size: 4
                reserve_pool_size: 0
                max_db_connections: 8
                max_db_client_connections: 20
                server_lifetime: 15m
              legacy: {host: localhost, reserve_pool: 3, connect_query: "SET search_path = legacy, public"}
            users:
              app: {password: secret}
              etl: {password: secret, max_user_connections: 5, max_user_client_connections: 7, pool_size: 2,
                    reserve_pool_size: 1, query_timeout: 30s, client_idle_timeout: 0}
            """;

    @Test
    void aDatabaseOrUserWithoutItsOwnInheritsThePoolSection() {
        PgmuxConfig config = ConfigLoader.fromYaml(FILE);
        assertThat(config.minPoolSize("app")).isEqualTo(1);
        assertThat(config.reservePoolSize("app")).isEqualTo(2);
        assertThat(config.maxDbConnections("app")).isEqualTo(50);
        assertThat(config.maxDbClientConnections("app")).isEqualTo(300);
        assertThat(config.maxUserConnections("app")).isEqualTo(40);
        assertThat(config.maxUserClientConnections("app")).isEqualTo(200);
        assertThat(config.maxUserConnections("someone_unknown")).isEqualTo(40);
        assertThat(config.maxDbConnections("no_such_db")).isEqualTo(50);
    }

    @Test
    void theirOwnValuesWinIncludingZero() {
        PgmuxConfig config = ConfigLoader.fromYaml(FILE);
        assertThat(config.minPoolSize("batch")).isEqualTo(4);
        assertThat(config.reservePoolSize("batch")).as("0 is a value, not 'inherit'").isZero();
        assertThat(config.maxDbConnections("batch")).isEqualTo(8);
        assertThat(config.maxDbClientConnections("batch")).isEqualTo(20);
        assertThat(config.reservePoolSize("legacy")).as("PgBouncer's name for it").isEqualTo(3);
        assertThat(config.database("legacy").connectQuery()).isEqualTo("SET search_path = legacy, public");
        assertThat(config.database("batch").connectQuery()).isNull();
        assertThat(config.maxUserConnections("etl")).isEqualTo(5);
        assertThat(config.maxUserClientConnections("etl")).isEqualTo(7);
        assertThat(config.serverLifetime("batch")).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(config.serverLifetime("app")).isEqualTo(Timeouts.defaults().serverLifetime());
        assertThat(config.poolSize("batch", "etl")).as("the user's pool_size wins, as in PgBouncer").isEqualTo(2);
        assertThat(config.poolSize("batch", "app")).isEqualTo(10);
        assertThat(config.reservePoolSize("batch", "etl")).isEqualTo(1);
        assertThat(config.reservePoolSize("batch", "app")).isZero();
        assertThat(config.reservePoolSize("app", "app")).isEqualTo(2);
        assertThat(config.timeoutsFor("etl").queryTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config.timeoutsFor("etl").clientIdleTimeout()).as("0: off for this user").isZero();
        assertThat(config.timeoutsFor("etl").serverLifetime()).isEqualTo(config.timeouts().serverLifetime());
        assertThat(config.timeoutsFor("app")).as("no copy without timeouts of its own").isSameAs(config.timeouts());
    }

    @Test
    void offByDefault() {
        PgmuxConfig config = ConfigLoader.fromYaml("databases:\n  app: {host: localhost}\n"
                + "users:\n  app: {password: secret}\n");
        assertThat(config.maxDbClientConnections("app")).isZero();
        assertThat(config.maxUserClientConnections("app")).isZero();
        assertThat(config.database("app").limits()).isEqualTo(DatabaseLimits.NONE);
        assertThat(config.user("app").limits()).isEqualTo(UserLimits.NONE);
    }

    @Test
    void negativeValuesAndBothReserveNamesAreRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                "databases:\n  app: {host: localhost, max_db_connections: -1}\nusers:\n  app: {password: s}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("databases.app.max_db_connections");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                "databases:\n  app: {host: localhost}\nusers:\n  app: {password: s, max_user_client_connections: x}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("users.app.max_user_client_connections");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("databases:\n  app: {host: localhost, reserve_pool: 1, "
                + "reserve_pool_size: 2}\nusers:\n  app: {password: s}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("reserve_pool");
    }

    @Test
    void aUserWhosePasswordComesFromTheAuthFileKeepsItsLimits(@TempDir Path dir) throws Exception {
        Path userlist = Files.writeString(dir.resolve("userlist.txt"), "\"etl\" \"from-file\"\n");
        PgmuxConfig config = ConfigLoader.fromYaml("auth_file: '" + userlist + "'\n"
                + "databases:\n  app: {host: localhost}\nusers:\n  etl: {max_user_connections: 5}\n");
        assertThat(config.user("etl").password()).isEqualTo("from-file");
        assertThat(config.maxUserConnections("etl")).isEqualTo(5);
    }
}
