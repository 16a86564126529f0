package io.pgmux.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.protocol.PgException;
import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.Test;

@DetectLeaks
class ShutdownModeTest {

    @Test
    void readsPgBouncersArgumentsInAnyCase() {
        assertThat(ShutdownMode.parse(null)).isEqualTo(ShutdownMode.IMMEDIATE);
        assertThat(ShutdownMode.parse("wait_for_servers")).isEqualTo(ShutdownMode.WAIT_FOR_SERVERS);
        assertThat(ShutdownMode.parse(ConsoleCommand.parse("shutdown Wait_For_Clients;").argument()))
                .isEqualTo(ShutdownMode.WAIT_FOR_CLIENTS);
    }

    @Test
    void anyOtherArgumentIsASyntaxError() {
        for (String bad : new String[] {"now", "wait_for", "immediate"}) {
            assertThatThrownBy(() -> ShutdownMode.parse(bad)).as(bad).isInstanceOf(PgException.class)
                    .satisfies(e -> assertThat(((PgException) e).sqlState()).isEqualTo("42601"));
        }
    }
}
