// LISTEN and UNLISTEN that PostgreSQL runs, as UNLISTEN, among a client's other statements.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.server.statements.PreparedMarks;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Follows the LISTEN and UNLISTEN statements of Queries pgmux cannot answer alone (mixed with other statements, or
 * sent while earlier requests are unanswered) through PostgreSQL, so that they need no pin.
 *
 * <p>Each LISTEN goes to PostgreSQL as an UNLISTEN of the same channel. On a backend that never listened (under
 * fan-out none lent to clients does) an UNLISTEN changes nothing, and PostgreSQL answers it exactly where and as it
 * would the LISTEN: its CommandComplete comes in the statement's turn, an earlier error skips it, a failed
 * transaction refuses it (25P02), a standby refuses it. pgmux gives the client the CommandComplete LISTEN instead,
 * and the action joins the client's transaction at that moment, as a LISTEN pgmux answers does.
 *
 * <p>The UNLISTEN tags are matched to the statements by order: only UNLISTEN statements produce that tag, and those
 * of one Query come after every ReadyForQuery owed before it and before its own. A Query's statements not answered
 * by its ReadyForQuery (an error stopped it) are forgotten there.
 *
 * <p>Confined to the client's loop. Costs one emptiness check per client-bound message while nothing is relayed.
 */
final class RelayedListens {
    private static final ByteBuf UNLISTEN = ListenTransaction.tag("UNLISTEN");

    /** One relayed Query: its LISTEN and UNLISTEN statements not answered yet. */
    private static final class Request {
        final ArrayDeque<ListenAction> actions;
        /** ReadyForQuery messages the client gets before this Query's own. */
        int readiesBefore;

        Request(List<ListenAction> actions, int readiesBefore) {
            this.actions = new ArrayDeque<>(actions);
            this.readiesBefore = readiesBefore;
        }
    }

    private final ArrayDeque<Request> requests = new ArrayDeque<>();
    /** Statements prepared under a name whose text is one LISTEN or UNLISTEN (prepared as UNLISTEN). */
    private final PreparedMarks<ListenAction> prepared = new PreparedMarks<>();

    /** A Query with {@code actions} went on to the backend, {@code readiesBefore} ReadyForQuery owed before it. */
    void sent(List<ListenAction> actions, int readiesBefore) {
        requests.add(new Request(actions, readiesBefore));
    }

    /** Whether relayed statements are still to be answered. */
    boolean hasRequests() {
        return !requests.isEmpty();
    }

    /** Channels of relayed LISTENs PostgreSQL has not answered yet. */
    void pendingListens(Set<String> into) {
        for (Request request : requests) {
            for (ListenAction action : request.actions) {
                if (action.listens()) {
                    into.add(action.channel());
                }
            }
        }
    }

    /** Prepared statements (and their portals) that are a relayed LISTEN or UNLISTEN, with the action. */
    PreparedMarks<ListenAction> prepared() {
        return prepared;
    }

    /**
     * A message from the backend about to be written to the client.
     *
     * @return the action it answers when it is the CommandComplete of a relayed statement, else null
     */
    ListenAction answered(ByteBuf message) {
        if (requests.isEmpty()) {
            return null;
        }
        byte type = Frames.type(message);
        if (type == BackendType.READY_FOR_QUERY) {
            for (Iterator<Request> it = requests.iterator(); it.hasNext(); ) {
                if (it.next().readiesBefore-- == 0) {
                    it.remove(); // the Query ended; what it did not answer never ran
                }
            }
            return null;
        }
        if (type != BackendType.COMMAND_COMPLETE || !ListenTransaction.tagIs(message, UNLISTEN)) {
            return null;
        }
        for (Request request : requests) {
            if (request.readiesBefore != 0) {
                return null; // a tag of a request not followed here
            }
            if (!request.actions.isEmpty()) {
                return request.actions.poll(); // several Executes of one batch are answered in turn
            }
        }
        return null;
    }

    /** The backend went away: its answers will not come. */
    void clear() {
        requests.clear();
    }
}
