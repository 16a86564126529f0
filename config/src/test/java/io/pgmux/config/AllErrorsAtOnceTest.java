package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A file with several mistakes is reported whole, so that it is fixed in one pass. */
class AllErrorsAtOnceTest {

    @Test
    void everyIndependentMistakeIsListed() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("""
                listen: 127.0.0.1:99999
                transport: carrier-pigeon
                log_stats: maybe
                pool:
                  mode: sesion
                timeouts:
                  query_timeout: soon
                databases:
                  app:
                    port: 0
                    host: db
                users:
                  app: {password: secret}
                stats_userz: [monitor]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("6 configuration errors:\n  ")
                .hasMessageContaining("listen port: must be 0..65535, got 99999")
                .hasMessageContaining("transport: ")
                .hasMessageContaining("log_stats: must be true or false, got 'maybe'")
                .hasMessageContaining("pool.mode: must be one of session, transaction, statement, got 'sesion'")
                .hasMessageContaining("timeouts.query_timeout: ")
                .hasMessageContaining("databases.app.port: must be 1..65535, got 0")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .doesNotContain("stats_userz").as("a typo is reported only once every key could be read"));
    }

    @Test
    void aTypoIsReportedWithTheOtherMistakesAndBeforeNoDatabases() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("""
                databasez:
                  app: {host: db}
                pool:
                  default_pool_size: 0
                """))
                .hasMessageStartingWith("2 configuration errors:")
                .hasMessageContaining("pool.default_pool_size: must be")
                .hasMessageContaining("unknown key 'databasez'")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .doesNotContain("no databases configured"));
    }

    @Test
    void oneMistakeKeepsItsOwnMessage() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("""
                databases:
                  app: {host: db, port: 0}
                auth_type: trust
                """)).hasMessage("databases.app.port: must be 1..65535, got 0");
    }
}
