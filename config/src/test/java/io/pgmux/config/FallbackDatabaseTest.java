// PgBouncer's fallback database "*": any database name not listed is served through it.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FallbackDatabaseTest {
    private static final String USERS = "users:\n  app: {password: s}\n";

    @Test
    void anUnlistedNameIsServedByTheFallbackUnderItsOwnName() {
        PgmuxConfig config = ConfigLoader.fromYaml("""
                databases:
                  app: {host: primary}
                  "*": {host: shared, port: 5433, pool_size: 3, max_db_connections: 7}
                """ + USERS);
        DatabaseConfig served = config.database("reports");
        assertThat(served.name()).isEqualTo("reports");
        assertThat(served.dbname()).as("the database of that name on the server").isEqualTo("reports");
        assertThat(served.host()).isEqualTo("shared");
        assertThat(served.port()).isEqualTo(5433);
        assertThat(config.poolSize("reports", "app")).isEqualTo(3);
        assertThat(config.maxDbConnections("reports")).isEqualTo(7);
        assertThat(config.database("app").host()).as("a listed database is its own").isEqualTo("primary");
    }

    @Test
    void aFallbackNamingItsServerDatabaseSendsEveryNameThere() {
        PgmuxConfig config = ConfigLoader.fromYaml("databases:\n  \"*\": {host: shared, dbname: tenants}\n" + USERS);
        assertThat(config.database("acme").dbname()).isEqualTo("tenants");
    }

    @Test
    void withoutAFallbackAnUnlistedNameIsUnknown() {
        PgmuxConfig config = ConfigLoader.fromYaml("databases:\n  app: {host: primary}\n" + USERS);
        assertThat(config.database("reports")).isNull();
    }
}
