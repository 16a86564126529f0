// When a client's answered LISTEN and UNLISTEN take effect: at COMMIT, not at all on ROLLBACK.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.ReadyForQuery;
import io.pgmux.protocol.TransactionStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Follows the messages a client receives, in the order it receives them, to decide when the LISTEN and UNLISTEN
 * pgmux answered take effect, as PostgreSQL's do: an action whose CommandComplete reached the client joins the
 * client's transaction, and is applied when that transaction commits (a CommandComplete COMMIT, or a ReadyForQuery
 * reporting idle with no error or ROLLBACK since: an implicit transaction ended) and forgotten when it does not.
 *
 * <p>Savepoints are followed ({@link Subtransactions}): ROLLBACK TO SAVEPOINT forgets the actions made since the
 * savepoint and ends the failed state an error left, RELEASE keeps them in the parent.
 *
 * <p>Confined to the client's loop. Costs one emptiness check per message while no action is outstanding.
 */
final class ListenTransaction {
    private static final ByteBuf COMMIT = tag("COMMIT");
    private static final ByteBuf ROLLBACK = tag("ROLLBACK");

    /** An answer pgmux made for a LISTEN or UNLISTEN, not yet written to the client. */
    record Answered(ByteBuf answer, ListenAction action) {
    }

    private final NotificationInbox inbox;
    private final Runnable settled;
    /** Made at the first answer: null for the clients that never LISTEN (every fan-out client has this object). */
    private ArrayDeque<Answered> awaiting;
    private final List<ListenAction> uncommitted = new ArrayList<>();
    private final Subtransactions subtransactions = new Subtransactions();
    private boolean failed;

    /** @param settled runs when actions were applied or forgotten (the interest in channels may change) */
    ListenTransaction(NotificationInbox inbox, Runnable settled) {
        this.inbox = inbox;
        this.settled = settled;
    }

    /** pgmux will write {@code answer} for {@code action}, in its turn. */
    Answered answering(ByteBuf answer, ListenAction action) {
        Answered entry = new Answered(answer, action);
        if (awaiting == null) {
            awaiting = new ArrayDeque<>(2);
        }
        awaiting.add(entry);
        return entry;
    }

    /** Whether {@code message} is an answer pgmux made for a LISTEN or UNLISTEN, next to be written. */
    boolean isOwnAnswer(ByteBuf message) {
        return awaitingAny() && awaiting.peek().answer() == message;
    }

    private boolean awaitingAny() {
        return awaiting != null && !awaiting.isEmpty();
    }

    /** Whether the client has a LISTEN or UNLISTEN not yet committed or forgotten. */
    boolean pending() {
        return awaitingAny() || !uncommitted.isEmpty();
    }

    /** The savepoints of the client's transaction, which the client's statements are reported to. */
    Subtransactions subtransactions() {
        return subtransactions;
    }

    /** PostgreSQL answered a relayed LISTEN or UNLISTEN (see {@link RelayedListens}): it joins the transaction. */
    void joined(ListenAction action) {
        uncommitted.add(action);
    }

    /** The answer was dropped (an earlier message of its batch failed): the action never happened. */
    void skipped(Answered entry) {
        if (awaiting != null) {
            awaiting.remove(entry);
        }
        settled.run();
    }

    /** Channels a LISTEN not yet committed or forgotten may still add. */
    void pendingListens(Set<String> into) {
        if (awaiting != null) {
            awaiting.forEach(a -> addListen(a.action(), into));
        }
        uncommitted.forEach(a -> addListen(a, into));
    }

    private static void addListen(ListenAction action, Set<String> into) {
        if (action.listens()) {
            into.add(action.channel());
        }
    }

    /**
     * A message about to be written to the client.
     *
     * @return the actions this message commits (it is the COMMIT or the ReadyForQuery that ends their transaction),
     *         else an empty list
     */
    List<ListenAction> clientBound(ByteBuf message) {
        if (!awaitingAny() && uncommitted.isEmpty()) {
            if (subtransactions.following()) {
                subtransactions.clientBound(message, Frames.type(message), uncommitted); // keeps tags in step
            }
            return List.of();
        }
        if (awaitingAny() && awaiting.peek().answer() == message) {
            uncommitted.add(awaiting.poll().action());
            return List.of();
        }
        byte type = Frames.type(message);
        int before = uncommitted.size();
        if (subtransactions.clientBound(message, type, uncommitted)) {
            failed = false; // ROLLBACK TO SAVEPOINT: the transaction goes on, without what came after the savepoint
            if (uncommitted.size() != before) {
                settled.run();
            }
            return List.of();
        }
        if (uncommitted.isEmpty()) {
            return List.of();
        }
        if (type == BackendType.COMMAND_COMPLETE) {
            if (tagIs(message, COMMIT)) {
                return end(true);
            } else if (tagIs(message, ROLLBACK)) {
                failed = true; // a ROLLBACK, or the COMMIT of a failed transaction
            }
        } else if (type == BackendType.ERROR_RESPONSE) {
            failed = true;
        } else if (type == BackendType.READY_FOR_QUERY && ReadyForQuery.status(message) == TransactionStatus.IDLE) {
            return end(!failed);
        }
        return List.of();
    }

    private List<ListenAction> end(boolean committed) {
        List<ListenAction> applied = List.of();
        if (committed) {
            uncommitted.forEach(inbox::apply);
            applied = List.copyOf(uncommitted);
        }
        uncommitted.clear();
        subtransactions.transactionEnded();
        failed = false;
        settled.run();
        return applied;
    }

    /** Whether the CommandComplete {@code message} carries {@code tag} (made by {@link #tag}). */
    static boolean tagIs(ByteBuf message, ByteBuf tag) {
        int length = tag.readableBytes();
        return Frames.bodyLength(message) == length
                && ByteBufUtil.equals(message, Frames.bodyStart(message), tag, 0, length);
    }

    /** A CommandComplete body: the tag and its terminating NUL, shared read-only. */
    static ByteBuf tag(String tag) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(tag + "\0", StandardCharsets.US_ASCII)).asReadOnly();
    }
}
