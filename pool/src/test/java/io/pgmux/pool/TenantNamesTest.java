// Tenant names chosen by clients are quoted and escaped before they reach a log line or an error message.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantNamesTest {

    @Test
    void plainNamesAreQuoted() {
        assertThat(TenantNames.quoted("billing-api")).isEqualTo("\"billing-api\"");
    }

    @Test
    void lineBreaksQuotesAndControlCharactersCannotForgeALogLine() {
        assertThat(TenantNames.quoted("a\n2026-12-03 INFO forged\r\"x\\\u001b[31m"))
                .isEqualTo("\"a\\u000a2026-12-03 INFO forged\\u000d\\\"x\\\\\\u001b[31m\"")
                .doesNotContain("\n", "\r", "\u001b");
    }

    @Test
    void longNamesAreCut() {
        assertThat(TenantNames.quoted("x".repeat(1000))).hasSize(64 + 2 + 3).endsWith("...\"");
    }
}
