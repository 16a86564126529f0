// Verifies that every invalid configuration is rejected with a message naming the key path and the bad value.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ValidationMessagesTest {

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
    void portOutOfRange() {
        failure("""
                databases:
                  app: {host: localhost, port: 0}
                users:
                  app: {password: secret}
                """).hasMessage("databases.app.port: must be 1..65535, got 0");
    }

    @Test
    void poolModeMisspelt() {
        failure("pool:\n  mode: sesion\n" + DATABASES)
                .hasMessage("pool.mode: must be one of session, transaction, statement, got 'sesion'");
    }

    @Test
    void unknownKeyIsRejectedWithSuggestion() {
        failure("pool:\n  default_poolsize: 5\n" + DATABASES)
                .hasMessageStartingWith("unknown key 'pool.default_poolsize'")
                .hasMessageContaining("did you mean 'default_pool_size'?");
    }

    @Test
    void unknownKeysAreRejectedAtEveryLevel() {
        failure("lisen: 1.2.3.4:5\n" + DATABASES).hasMessageStartingWith("unknown key 'lisen'");
        failure("timeouts:\n  query_timout: 5s\n" + DATABASES).hasMessageStartingWith("unknown key 'timeouts.query_timout'");
        failure("""
                databases:
                  app: {host: localhost, hots: x}
                users:
                  app: {password: secret}
                """).hasMessageStartingWith("unknown key 'databases.app.hots'");
        failure("""
                databases:
                  app: {host: localhost}
                users:
                  app: {password: secret, mode: session}
                """).hasMessageStartingWith("unknown key 'users.app.mode'");
    }

    @Test
    void misspeltDatabasesSectionIsReportedAsTypoNotAsMissing() {
        failure("database:\n  app: {host: localhost}\n").hasMessageStartingWith("unknown key 'database'");
    }

    @Test
    void wrongIntegerType() {
        failure("pool:\n  default_pool_size: x\n" + DATABASES)
                .hasMessage("pool.default_pool_size: must be an integer, got 'x'");
        failure("pool:\n  max_client_conn: 1.5\n" + DATABASES)
                .hasMessage("pool.max_client_conn: must be an integer, got '1.5'");
    }

    @Test
    void numbersOutOfRange() {
        failure("pool:\n  default_pool_size: 0\n" + DATABASES).hasMessage("pool.default_pool_size: must be >= 1, got 0");
        failure("pool:\n  max_client_conn: 0\n" + DATABASES).hasMessage("pool.max_client_conn: must be >= 1, got 0");
        failure("pool:\n  max_db_connections: -1\n" + DATABASES).hasMessage("pool.max_db_connections: must be >= 0, got -1");
        failure("max_message_length: 100\n" + DATABASES)
                .hasMessage("max_message_length: must be 1024..1073741824, got 100");
        failure("max_message_length: 99999999999999999999\n" + DATABASES)
                .hasMessage("max_message_length: must be 1024..1073741824, got 99999999999999999999");
        failure("worker_threads: -2\n" + DATABASES).hasMessage("worker_threads: must be 0..4096, got -2");
        failure("max_message_length: 65536\nmax_parsed_message_length: 65537\n" + DATABASES)
                .hasMessage("max_parsed_message_length: must be 1024..65536, got 65537");
        failure("max_parsed_message_length: 1000\n" + DATABASES)
                .hasMessage("max_parsed_message_length: must be 1024..1073741824, got 1000");
        failure("""
                databases:
                  app: {host: localhost, pool_size: 0}
                users:
                  app: {password: secret}
                """).hasMessage("databases.app.pool_size: must be >= 1, got 0");
    }

    @Test
    void minPoolSizeMayNotExceedPoolSize() {
        failure("pool:\n  default_pool_size: 5\n  min_pool_size: 6\n" + DATABASES)
                .hasMessage("pool.min_pool_size: must not exceed pool.default_pool_size (5), got 6");
    }

    @Test
    void invalidDurations() {
        failure("timeouts:\n  query_wait_timeout: soon\n" + DATABASES)
                .hasMessageStartingWith("timeouts.query_wait_timeout: must be a duration like 250ms")
                .hasMessageEndingWith("got 'soon'");
        failure("timeouts:\n  client_login_timeout: -5s\n" + DATABASES)
                .hasMessageStartingWith("timeouts.client_login_timeout: must be a duration");
        failure("timeouts:\n  server_connect_timeout: 0\n" + DATABASES)
                .hasMessage("timeouts.server_connect_timeout: must be greater than 0, got '0'");
        failure("pool:\n  reserve_pool_timeout: 5d\n" + DATABASES)
                .hasMessageStartingWith("pool.reserve_pool_timeout: must be a duration");
    }

    @Test
    void invalidEnumsAndAddresses() {
        failure("auth_type: plain\n" + DATABASES)
                .hasMessage("auth_type: must be one of trust, md5, scram-sha-256, password, reject, got 'plain'");
        failure("transport: kqueue\n" + DATABASES)
                .hasMessage("transport: must be one of auto, io_uring, epoll, nio, got 'kqueue'");
        failure("listen: localhost\n" + DATABASES).hasMessageStartingWith("listen: must be HOST:PORT");
        failure("admin_listen: localhost:99999\n" + DATABASES).hasMessage("admin_listen port: must be 0..65535, got 99999");
        failure("""
                databases:
                  app: {host: localhost, pool_mode: sometimes}
                users:
                  app: {password: secret}
                """).hasMessageStartingWith("databases.app.pool_mode: must be one of session");
    }

    @Test
    void missingRequiredKeys() {
        failure("""
                databases:
                  app: {port: 5432}
                users:
                  app: {password: secret}
                """).hasMessage("databases.app.host: is required");
        failure("""
                databases:
                  app: {host: localhost}
                users:
                  app:
                """).hasMessage("users.app.password: is required for user 'app' when auth_type is md5");
    }

    @Test
    void emptyNames() {
        failure("""
                databases:
                  "": {host: localhost}
                users:
                  app: {password: secret}
                """).hasMessage("databases: database name must not be empty");
        failure("""
                databases:
                  app: {host: ""}
                users:
                  app: {password: secret}
                """).hasMessage("databases.app.host: must not be empty");
        failure("""
                databases:
                  app: {host: h, dbname: " "}
                users:
                  app: {password: secret}
                """).hasMessage("databases.app.dbname: must not be empty");
    }

    @Test
    void noDatabases() {
        failure("auth_type: trust\n").hasMessage(
                "no databases configured: give --config FILE or --backend postgresql://USER:PASSWORD@HOST:PORT/DB");
        failure("").hasMessageStartingWith("no databases configured");
    }

    @Test
    void usersRequiredUnlessTrust() {
        failure("databases:\n  app: {host: h}\n").hasMessageStartingWith(
                "users: at least one user is required when auth_type is md5");
    }

    @Test
    void md5CannotUseScramSecret() {
        failure("""
                auth_type: md5
                databases:
                  app: {host: h}
                users:
                  carol:
                    password: %s
                """.formatted(FullYamlTest.SCRAM_SECRET))
                .hasMessageStartingWith("users.carol.password: user 'carol' has a SCRAM-SHA-256 secret")
                .hasMessageContaining("md5 needs the plain password or an md5 hash");
    }

    @Test
    void scramCannotUseMd5Hash() {
        failure("""
                auth_type: scram-sha-256
                databases:
                  app: {host: h}
                users:
                  dave: {password: md56a422f785c9e20873908ce25d1736ae2}
                """).hasMessageStartingWith("users.dave.password: user 'dave' has an md5 hash");
    }

    @Test
    void md5HashWorksWithMd5AndMalformedScramIsRejected() {
        PgmuxConfig config = ConfigLoader.fromYaml("""
                databases:
                  app: {host: h}
                users:
                  dave: {password: md56a422f785c9e20873908ce25d1736ae2}
                """);
        assertThat(config.user("dave").passwordKind()).isEqualTo(PasswordKind.MD5_HASH);
        failure("""
                auth_type: scram-sha-256
                databases:
                  app: {host: h}
                users:
                  erin: {password: "SCRAM-SHA-256$4096:abc"}
                """).hasMessageStartingWith("users.erin.password: malformed SCRAM-SHA-256 secret for user 'erin'");
    }

    @Test
    void wrongShapes() {
        failure("pool: 5\n" + DATABASES).hasMessage("pool: must be a mapping of keys, got '5'");
        failure("admin_listen:\n  host: x\n" + DATABASES)
                .hasMessage("admin_listen: must be a single value, got a mapping");
        failure("listen:\n  host: x\n" + DATABASES).hasMessage("listen: must be a list, got a mapping");
        failure("admin_listen: [a, b]\n" + DATABASES)
                .hasMessageStartingWith("admin_listen: lists are not supported here");
        failure("- a\n- b\n").hasMessageStartingWith("configuration: the configuration must be a mapping of keys");
    }

    @Test
    void duplicateKeysAreRejected() {
        failure("pool:\n  mode: session\n  mode: statement\n" + DATABASES)
                .hasMessage("configuration: duplicate key 'pool.mode' at line 3");
    }

    @Test
    void invalidYamlNamesSourceAndLine() {
        failure("pool:\n  mode: session\n bad: [\n").hasMessageStartingWith("configuration: invalid YAML at line 3");
    }
}
