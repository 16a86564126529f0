package io.pgmux.server.pinning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PinStateTest {
    private final PinState pins = new PinState();

    @Test
    void pinsAtOnceAndUnpinsOnlyWhenConfirmed() {
        pins.sent(List.of(StateChange.pin(PinReason.SQL_PREPARE, "a"), StateChange.pin(PinReason.SQL_PREPARE, "b")));
        assertThat(pins.pinned()).isTrue();
        pins.sent(List.of(StateChange.unpin(PinReason.SQL_PREPARE, "a")));
        assertThat(pins.pinned()).isTrue();
        pins.confirm();
        assertThat(pins.pinned()).isTrue(); // b is still prepared
        pins.sent(List.of(StateChange.unpin(PinReason.SQL_PREPARE, "b")));
        pins.confirm();
        assertThat(pins.pinned()).isFalse();
    }

    @Test
    void aFailureDropsTheUnconfirmedUndo() {
        pins.sent(List.of(StateChange.pin(PinReason.TEMP_OBJECT, "t")));
        pins.sent(List.of(StateChange.unpin(PinReason.TEMP_OBJECT, "t")));
        pins.failed();
        pins.confirm();
        assertThat(pins.pinned()).isTrue();
    }

    @Test
    void discardAllKeepsOnlyLoadedLibraries() {
        pins.sent(List.of(StateChange.pin(PinReason.LISTEN, "c"), StateChange.pin(PinReason.LOAD, null)));
        pins.sent(List.of(new StateChange(StateChange.Kind.DISCARD_ALL, null, null, null)));
        pins.confirm();
        assertThat(pins.reasons()).containsExactly(PinReason.LOAD);
    }

    @Test
    void unnamedStateIsOnlyUndoneAsAWhole() {
        pins.sent(List.of(StateChange.pin(PinReason.ADVISORY_LOCK, null)));
        pins.sent(List.of(StateChange.unpin(PinReason.ADVISORY_LOCK, "whatever")));
        pins.confirm();
        assertThat(pins.pinned()).isTrue();
        pins.sent(List.of(StateChange.unpinAll(PinReason.ADVISORY_LOCK)));
        pins.confirm();
        assertThat(pins.pinned()).isFalse();
    }

    @Test
    void trackedValuesFollowConfirmation() {
        pins.sent(List.of(new StateChange(StateChange.Kind.TRACKED_SET, null, "search_path", "a")));
        assertThat(pins.trackedValues()).isEmpty();
        pins.confirm();
        assertThat(pins.trackedValues()).containsEntry("search_path", "a");
        pins.sent(List.of(new StateChange(StateChange.Kind.TRACKED_SET, null, "search_path", "DEFAULT")));
        pins.confirm();
        assertThat(pins.trackedValues()).isEmpty();
    }

    @Test
    void aPinSentAfterAnUndoOutlivesItsConfirmation() {
        pins.sent(List.of(StateChange.pin(PinReason.UNTRACKED_SET, "work_mem")));
        pins.confirm();
        // RESET ALL; SET lock_timeout = 5: one message, the SET last
        pins.sent(List.of(StateChange.unpinAll(PinReason.UNTRACKED_SET),
                StateChange.pin(PinReason.UNTRACKED_SET, "lock_timeout")));
        pins.confirm();
        assertThat(pins.toString()).isEqualTo("untracked_set(lock_timeout)");
    }

    @Test
    void orderHoldsAcrossMessagesConfirmedTogether() {
        pins.sent(List.of(StateChange.pin(PinReason.TEMP_OBJECT, "t")));
        pins.confirm();
        pins.sent(List.of(StateChange.unpin(PinReason.TEMP_OBJECT, "t"))); // DROP TABLE t, in a transaction
        pins.sent(List.of(StateChange.pin(PinReason.TEMP_OBJECT, "t"))); // CREATE TEMP TABLE t
        pins.confirm();
        assertThat(pins.pinned()).isTrue();
        pins.sent(List.of(StateChange.pin(PinReason.LISTEN, "c")));
        pins.sent(List.of(StateChange.unpin(PinReason.LISTEN, "c"), StateChange.unpin(PinReason.TEMP_OBJECT, "t")));
        pins.confirm();
        assertThat(pins.pinned()).isFalse();
    }

    @Test
    void aFailureKeepsPinsSentAfterTheUndo() {
        pins.sent(List.of(StateChange.unpinAll(PinReason.UNTRACKED_SET),
                StateChange.pin(PinReason.UNTRACKED_SET, "lock_timeout")));
        pins.failed();
        pins.confirm();
        assertThat(pins.pinned()).isTrue();
    }

    @Test
    void describesWhatItHolds() {
        pins.sent(List.of(StateChange.pin(PinReason.SET_CONFIG, "work_mem"), StateChange.pin(PinReason.DO_BLOCK, null),
                StateChange.pin(PinReason.SET_CONFIG, "lock_timeout")));
        assertThat(pins.toString()).isEqualTo("set_config(lock_timeout, work_mem), do_block");
    }
}
