package io.pgmux.server.pinning;

import static io.pgmux.server.WireMessages.bind;
import static io.pgmux.server.WireMessages.close;
import static io.pgmux.server.WireMessages.execute;
import static io.pgmux.server.WireMessages.parse;
import static io.pgmux.server.WireMessages.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedStatementEffectsTest {
    private static final StateChange PIN = StateChange.pin(PinReason.UNTRACKED_SET, "work_mem");
    private static final StateChange UNPIN = StateChange.unpin(PinReason.UNTRACKED_SET, "work_mem");

    private final PreparedStatementEffects effects = new PreparedStatementEffects();

    @Test
    void aParsePinsAtOnceAndAnUndoWaitsForTheExecute() {
        assertThat(of(parse("", "SET work_mem = 1"), PIN)).containsExactly(PIN);
        assertThat(of(parse("", "RESET work_mem"), UNPIN)).isEmpty(); // prepared, not run
        assertThat(of(bind("", ""))).isEmpty();
        assertThat(of(execute("", 0))).containsExactly(UNPIN);
    }

    @Test
    void everyBindAndExecuteOfANamedStatementCountsAgain() {
        of(parse("s", "SET work_mem = 1"), PIN);
        for (int run = 0; run < 3; run++) {
            assertThat(of(bind("", "s"))).containsExactly(PIN);
            assertThat(of(execute("", 0))).containsExactly(PIN);
        }
        assertThat(of(close('S', "s"))).isEmpty();
        assertThat(of(bind("", "s"))).isEmpty();
    }

    @Test
    void theUnnamedStatementCountsUntilAQueryOrAnotherParseReplacesIt() {
        of(parse("", "SET work_mem = 1"), PIN);
        assertThat(of(bind("", ""))).containsExactly(PIN);
        of(query("SELECT 1"));
        assertThat(of(bind("", ""))).isEmpty();
        of(parse("", "SET work_mem = 1"), PIN);
        of(parse("", "SELECT 1"));
        assertThat(of(bind("", ""))).isEmpty();
    }

    @Test
    void portalsEndWithTheTransaction() {
        of(parse("s", "SET work_mem = 1"), PIN);
        of(bind("p", "s"));
        effects.transactionEnded();
        assertThat(of(execute("p", 0))).isEmpty();
    }

    @Test
    void theNamedStatementItselfPinsOnlyAtItsParse() {
        StateChange named = StateChange.pin(PinReason.NAMED_PREPARED_STATEMENT, "s");
        assertThat(of(parse("s", "SET work_mem = 1"), named, PIN)).containsExactly(named, PIN);
        assertThat(of(bind("", "s"))).containsExactly(PIN);
    }

    @Test
    void aFailedSecondParseOfANameKeepsTheFirstStatementsEffects() {
        of(parse("s", "SET work_mem = 1"), PIN);
        of(parse("s", "SELECT 1")); // fails on the server: s stays what it was
        assertThat(of(bind("", "s"))).containsExactly(PIN);
    }

    private List<StateChange> of(byte[] message, StateChange... inspected) {
        return effects.of(Unpooled.wrappedBuffer(message), List.of(inspected));
    }
}
