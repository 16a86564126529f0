// Which queries pgmux answers as SET/RESET of pgmux.wait_deadline, and how deadline values are read.
package io.pgmux.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@DetectLeaks
class DeadlineStatementsTest {

    @Test
    void setAndResetInTheirSpellingsAreRecognised() {
        assertThat(DeadlineStatements.parse("SET pgmux.wait_deadline = '2s'"))
                .isEqualTo(new DeadlineStatements.Set("2s"));
        assertThat(DeadlineStatements.parse("set session pgmux.wait_deadline to 500ms;"))
                .isEqualTo(new DeadlineStatements.Set("500ms"));
        assertThat(DeadlineStatements.parse("RESET pgmux.wait_deadline")).isEqualTo(new DeadlineStatements.Reset());
        assertThat(DeadlineStatements.parse("SET statement_timeout = '2s'")).isNull();
        assertThat(DeadlineStatements.parse("SET pgmux.wait_deadline = '2s'; SELECT 1")).isNull();
    }

    @Test
    void onlyShortQueriesStartingWithSetOrResetAreDecoded() {
        assertThat(mayBe("SET pgmux.wait_deadline = 1")).isTrue();
        assertThat(mayBe("reset\tpgmux.wait_deadline")).isTrue();
        assertThat(mayBe("SELECT 1")).as("a SELECT is never decoded").isFalse();
        assertThat(mayBe("settings")).isFalse();
        assertThat(mayBe("SET x = '" + "y".repeat(300) + "'")).isFalse();
    }

    @Test
    void aSetOrResetAmongOtherStatementsIsFound() {
        assertThat(DeadlineStatements.amongOthers("SELECT 1; SET pgmux.wait_deadline = '2s'")).isTrue();
        assertThat(DeadlineStatements.amongOthers("reset PGMUX.WAIT_DEADLINE; select 1")).isTrue();
        assertThat(DeadlineStatements.amongOthers("SET SESSION pgmux.wait_deadline TO 1; COMMIT")).isTrue();
        assertThat(DeadlineStatements.amongOthers("SET pgmux.wait_deadline = '2s'")).as("alone").isFalse();
        assertThat(DeadlineStatements.amongOthers("BEGIN; SET LOCAL pgmux.wait_deadline = 1")).isFalse();
        assertThat(DeadlineStatements.amongOthers("SELECT 'SET pgmux.wait_deadline = 1'; SELECT 2")).isFalse();
        assertThat(DeadlineStatements.amongOthers("SHOW pgmux.wait_deadline; SELECT 2")).isFalse();
    }

    @Test
    void onlyQueriesMentioningWaitDeadlineAreLexed() {
        assertThat(mentions("SELECT 1; SET pgmux.WAIT_DEADLINE = 1")).isTrue();
        assertThat(mentions("SELECT 1; SET pgmux.wait_deadlin")).isFalse();
        assertThat(mentions("SELECT wait^deadline")).isFalse();
    }

    @Test
    void showIsRecognisedAndDeadlinesAreShownInTheirLargestExactUnit() {
        assertThat(DeadlineStatements.parse("SHOW pgmux.wait_deadline;")).isEqualTo(new DeadlineStatements.Show());
        assertThat(mayBe("show pgmux.wait_deadline")).isTrue();
        assertThat(WaitDeadlines.format(0)).isEqualTo("0");
        assertThat(WaitDeadlines.format(TimeUnit.MILLISECONDS.toNanos(1500))).isEqualTo("1500ms");
        assertThat(WaitDeadlines.format(TimeUnit.SECONDS.toNanos(2))).isEqualTo("2s");
        assertThat(WaitDeadlines.format(TimeUnit.MINUTES.toNanos(3))).isEqualTo("3min");
    }

    @Test
    void deadlineValuesAreMillisecondsUnlessAUnitIsGiven() {
        assertThat(WaitDeadlines.parseNanos("1500", Severity.ERROR)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(WaitDeadlines.parseNanos("2s", Severity.ERROR)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(WaitDeadlines.parseNanos("1min", Severity.ERROR)).isEqualTo(TimeUnit.MINUTES.toNanos(1));
        assertThat(WaitDeadlines.parseNanos("0", Severity.ERROR)).isZero();
        assertThatThrownBy(() -> WaitDeadlines.parseNanos("soon", Severity.FATAL))
                .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"));
    }

    private static boolean mayBe(String sql) {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer().writeByte('Q').writeInt(4 + text.length).writeBytes(text);
        try {
            return DeadlineStatements.mayBe(frame, 5, text.length);
        } finally {
            frame.release();
        }
    }

    private static boolean mentions(String sql) {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Unpooled.buffer().writeByte('Q').writeInt(4 + text.length).writeBytes(text);
        try {
            return DeadlineStatements.mentions(frame, 5, text.length);
        } finally {
            frame.release();
        }
    }
}
