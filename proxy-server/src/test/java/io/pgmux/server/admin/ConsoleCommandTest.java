package io.pgmux.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.protocol.PgException;
import org.junit.jupiter.api.Test;

class ConsoleCommandTest {

    @Test
    void keywordsAreCaseInsensitiveAndTheSemicolonIsOptional() {
        assertThat(ConsoleCommand.parse("show pools;")).isEqualTo(new ConsoleCommand("SHOW", "POOLS"));
        assertThat(ConsoleCommand.parse("  Show   Stats_Totals  ")).isEqualTo(new ConsoleCommand("SHOW", "STATS_TOTALS"));
        assertThat(ConsoleCommand.parse("PAUSE")).isEqualTo(new ConsoleCommand("PAUSE", null));
    }

    @Test
    void databaseNamesFoldUnlessQuoted() {
        assertThat(ConsoleCommand.parse("pause App")).isEqualTo(new ConsoleCommand("PAUSE", "app"));
        assertThat(ConsoleCommand.parse("KILL \"App\"")).isEqualTo(new ConsoleCommand("KILL", "App"));
    }

    @Test
    void setKeepsTheRestOfTheLine() {
        assertThat(ConsoleCommand.parse("SET extra_float_digits = 3"))
                .isEqualTo(new ConsoleCommand("SET", "extra_float_digits = 3"));
    }

    @Test
    void malformedCommandsAreSyntaxErrors() {
        for (String bad : new String[] {";", "SHOW POOLS; SHOW STATS", "PAUSE a b"}) {
            assertThatThrownBy(() -> ConsoleCommand.parse(bad)).as(bad).isInstanceOf(PgException.class)
                    .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("42601"));
        }
    }
}
