// Per-database auth_user, auth_dbname and auth_query, and the global auth_dbname: values and the checks they get.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseAuthConfigTest {
    private static final String USERS = "users:\n  auth_a: {password: a}\n  auth_b: {password: b}\n";

    @Test
    void aDatabaseMayNameItsOwnAuthUserDatabaseAndQuery() {
        PgmuxConfig config = ConfigLoader.fromYaml("""
                auth_user: auth_a
                auth_dbname: meta
                databases:
                  app: {host: h}
                  meta: {host: h}
                  billing: {host: h, auth_user: auth_b, auth_dbname: app,
                            auth_query: "SELECT u, p FROM billing_users WHERE u = $1"}
                """ + USERS);
        assertThat(config.auth().authQuery().user()).isEqualTo("auth_a");
        assertThat(config.auth().authQuery().dbname()).isEqualTo("meta");
        assertThat(config.database("app").auth()).isEqualTo(DatabaseAuth.NONE);
        assertThat(config.database("billing").auth()).isEqualTo(
                new DatabaseAuth("auth_b", "app", "SELECT u, p FROM billing_users WHERE u = $1"));
    }

    @Test
    void onlyADatabaseMayNameAnAuthUserAndItsUsersMayThenComeFromPostgresqlAlone() {
        PgmuxConfig config = ConfigLoader.fromYaml("""
                auth_type: md5
                databases:
                  app: {host: h, auth_user: auth_a}
                users:
                  auth_a: {password: a}
                """);
        assertThat(config.auth().authQuery().enabled()).isFalse();
        assertThat(config.database("app").auth().authUser()).isEqualTo("auth_a");
        assertThat(ConfigLoader.fromYaml("""
                databases:
                  "*": {host: h, auth_user: auth_a}
                """ + USERS).database("anything").auth().authUser()).as("the fallback database's, for any name")
                .isEqualTo("auth_a");
    }

    @Test
    void authUsersMustBeConfiguredAndAuthDatabasesListed() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("databases:\n  app: {host: h, auth_user: nobody}\n" + USERS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("databases.app.auth_user")
                .hasMessageContaining("plain-text password");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("databases:\n  app: {host: h, auth_dbname: nowhere}\n"
                + USERS)).isInstanceOf(ConfigException.class).hasMessageContaining("databases.app.auth_dbname")
                .hasMessageContaining("nowhere");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("auth_user: auth_a\nauth_dbname: nowhere\n"
                + "databases:\n  app: {host: h}\n" + USERS)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth_dbname");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("databases:\n  app: {host: h, auth_query: SELECT 1}\n"
                + USERS)).isInstanceOf(ConfigException.class).hasMessageContaining("$1");
    }
}
