package io.pgmux.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.server.sql.SqlLexer;
import io.pgmux.testing.DetectLeaks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When answered LISTENs and UNLISTENs take effect, driven by the messages the client receives, in order. */
@DetectLeaks
class ListenTransactionTest {
    private static final ListenAction LISTEN_A = new ListenAction(ListenAction.Kind.LISTEN, "a");
    private static final ListenAction UNLISTEN_A = new ListenAction(ListenAction.Kind.UNLISTEN, "a");

    private final NotificationInbox inbox = new NotificationInbox(null, 10, () -> false, e -> { }, new NotifyFigures(),
            () -> ClientText.UTF8);
    private int settled;
    private final ListenTransaction transaction = new ListenTransaction(inbox, () -> settled++);
    private final List<ByteBuf> written = new ArrayList<>();

    @AfterEach
    void release() {
        written.forEach(ByteBuf::release);
    }

    @Test
    void outsideATransactionTheReadyForQueryCommits() {
        send(answer(LISTEN_A));
        assertThat(inbox.listensOn("a")).as("not before the transaction ends").isFalse();
        send(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        assertThat(inbox.listensOn("a")).isTrue();
        assertThat(settled).isEqualTo(1);
    }

    @Test
    void insideATransactionCommitAppliesAndRollbackForgets() {
        send(answer(LISTEN_A));
        send(BackendMessages.readyForQuery(TransactionStatus.IN_TRANSACTION));
        send(tag("ROLLBACK"));
        send(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        assertThat(inbox.listensOn("a")).isFalse();

        send(answer(LISTEN_A));
        send(BackendMessages.readyForQuery(TransactionStatus.IN_TRANSACTION));
        send(tag("COMMIT"));
        assertThat(inbox.listensOn("a")).isTrue();
        send(BackendMessages.readyForQuery(TransactionStatus.IDLE));

        send(answer(UNLISTEN_A));
        send(BackendMessages.readyForQuery(TransactionStatus.IN_TRANSACTION));
        assertThat(inbox.listensOn("a")).as("until the UNLISTEN commits").isTrue();
        send(tag("COMMIT"));
        assertThat(inbox.listensOn("a")).isFalse();
    }

    @Test
    void anErrorAfterTheListenAbortsIt() {
        send(answer(LISTEN_A));
        send(BackendMessages.errorResponse(ByteBufAllocator.DEFAULT, Severity.ERROR, "22012", "division by zero"));
        send(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        assertThat(inbox.listensOn("a")).isFalse();
    }

    @Test
    void aSkippedAnswerNeverJoinsTheTransaction() {
        ByteBuf tag = BackendMessages.commandComplete(ByteBufAllocator.DEFAULT, "LISTEN");
        written.add(tag);
        transaction.skipped(transaction.answering(tag, LISTEN_A));
        send(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        assertThat(inbox.listensOn("a")).isFalse();
    }

    @Test
    void ignoresOtherTrafficWhileNothingIsOutstanding() {
        send(tag("COMMIT"));
        send(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        assertThat(settled).isZero();
    }

    @Test
    void rollbackToSavepointForgetsTheSubtransactionsActionsAndItsError() {
        ListenAction listenB = new ListenAction(ListenAction.Kind.LISTEN, "b");
        send(answer(LISTEN_A));
        transaction.subtransactions().sent(Subtransactions.ops(
                "SAVEPOINT s; LISTEN b; SELECT 1/0; ROLLBACK TO s", SqlLexer.Reading.STANDARD), 0);
        send(tag("SAVEPOINT"));
        send(answer(listenB));
        send(BackendMessages.errorResponse(ByteBufAllocator.DEFAULT, Severity.ERROR, "22012", "division by zero"));
        send(BackendMessages.readyForQuery(TransactionStatus.FAILED));
        transaction.subtransactions().sent(Subtransactions.ops("ROLLBACK TO s", SqlLexer.Reading.STANDARD), 0);
        send(tag("ROLLBACK"));
        send(BackendMessages.readyForQuery(TransactionStatus.IN_TRANSACTION));
        send(tag("COMMIT"));
        assertThat(inbox.listensOn("a")).as("made before the savepoint").isTrue();
        assertThat(inbox.listensOn("b")).as("rolled back with its subtransaction").isFalse();
    }

    @Test
    void readsSavepointStatementsAsPostgresNamesThem() {
        assertThat(Subtransactions.ops("savepoint \"A\"; RELEASE SAVEPOINT a; rollback work to savepoint B; "
                + "ROLLBACK; commit", SqlLexer.Reading.STANDARD)).containsExactly(
                new Subtransactions.Op(Subtransactions.Kind.SAVEPOINT, "A"),
                new Subtransactions.Op(Subtransactions.Kind.RELEASE, "a"),
                new Subtransactions.Op(Subtransactions.Kind.ROLLBACK_TO, "b"),
                new Subtransactions.Op(Subtransactions.Kind.END, null),
                new Subtransactions.Op(Subtransactions.Kind.END, null));
    }

    private ByteBuf answer(ListenAction action) {
        ByteBuf tag = BackendMessages.commandComplete(ByteBufAllocator.DEFAULT, action.tag());
        transaction.answering(tag, action);
        return tag;
    }

    private static ByteBuf tag(String tag) {
        return BackendMessages.commandComplete(ByteBufAllocator.DEFAULT, tag);
    }

    private void send(ByteBuf message) {
        transaction.clientBound(message);
        written.add(message);
    }
}
