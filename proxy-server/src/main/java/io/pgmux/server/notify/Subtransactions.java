// SAVEPOINT, RELEASE and ROLLBACK TO, followed so that a rolled-back subtransaction's LISTEN does not count.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.server.sql.SqlLexer;
import io.pgmux.server.sql.SqlStatement;
import io.pgmux.server.statements.PreparedMarks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The savepoints of a client's transaction that matter to its uncommitted LISTEN and UNLISTEN: PostgreSQL forgets
 * what a subtransaction did when it is rolled back with ROLLBACK TO SAVEPOINT, and keeps it in the parent on RELEASE.
 *
 * <p>CommandComplete tags do not name the savepoint, and ROLLBACK TO answers with the tag of a plain ROLLBACK; so the
 * client's statements are read on their way to the backend ({@link #sent}) and matched to the tags by order, as
 * {@link RelayedListens} matches its own: the statements of one request come after every ReadyForQuery owed before
 * it, and those its ReadyForQuery leaves unanswered (an error stopped them) are forgotten there.
 *
 * <p>Only followed while the client has an uncommitted action: a savepoint made before the first one is older than
 * every action, so rolling back to a name not seen since means rolling back all of them, as PostgreSQL does. Marks
 * are searched newest first, as PostgreSQL finds the most recent savepoint of a name.
 *
 * <p>Confined to the client's loop.
 */
final class Subtransactions {
    private static final ByteBuf SAVEPOINT_TAG = ListenTransaction.tag("SAVEPOINT");
    private static final ByteBuf RELEASE_TAG = ListenTransaction.tag("RELEASE");
    private static final ByteBuf ROLLBACK_TAG = ListenTransaction.tag("ROLLBACK");
    private static final ByteBuf COMMIT_TAG = ListenTransaction.tag("COMMIT");

    /** What a statement does to savepoints, with the tag PostgreSQL answers it with. */
    enum Kind {
        /** SAVEPOINT name: tag SAVEPOINT. */
        SAVEPOINT,
        /** RELEASE [SAVEPOINT] name: tag RELEASE. */
        RELEASE,
        /** ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name: tag ROLLBACK. */
        ROLLBACK_TO,
        /** ROLLBACK, ABORT, COMMIT or END: tag ROLLBACK when it ends a failed transaction (COMMIT's otherwise). */
        END
    }

    record Op(Kind kind, String name) {
    }

    /** A savepoint, and how many of the transaction's actions came before it. */
    private record Mark(String name, int actionsBefore) {
    }

    /** The statements of one request not answered yet. */
    private static final class Request {
        final ArrayDeque<Op> ops;
        int readiesBefore;

        Request(List<Op> ops, int readiesBefore) {
            this.ops = new ArrayDeque<>(ops);
            this.readiesBefore = readiesBefore;
        }
    }

    /** Made at the first savepoint statement sent: null for the clients that never send one. */
    private ArrayDeque<Request> requests;
    private final List<Mark> marks = new ArrayList<>();
    /** Prepared statements (the unnamed one as "") whose text is one savepoint statement. */
    private final PreparedMarks<Op> prepared = new PreparedMarks<>();

    /** The savepoint statements of {@code sql}, in order (read with {@code reading}). */
    static List<Op> ops(String sql, SqlLexer.Reading reading) {
        List<Op> ops = new ArrayList<>(1);
        SqlLexer lexer = SqlLexer.of(sql, reading);
        for (SqlStatement st = lexer.next(); st != null; st = lexer.next()) {
            Op op = op(st);
            if (op != null) {
                ops.add(op);
            }
        }
        return ops;
    }

    private static Op op(SqlStatement st) {
        String first = st.word(0);
        if (first == null) {
            return null;
        }
        switch (first) {
            case "savepoint":
                return new Op(Kind.SAVEPOINT, st.identifier(1));
            case "release":
                return new Op(Kind.RELEASE, st.identifier(st.isWord(1, "savepoint") ? 2 : 1));
            case "rollback":
                int k = st.isWord(1, "work") || st.isWord(1, "transaction") ? 2 : 1;
                if (st.isWord(k, "to")) {
                    return new Op(Kind.ROLLBACK_TO, st.identifier(st.isWord(k + 1, "savepoint") ? k + 2 : k + 1));
                }
                return new Op(Kind.END, null);
            case "abort", "commit", "end":
                return new Op(Kind.END, null);
            default:
                return null;
        }
    }

    /** A request with these savepoint statements went to the backend, {@code readiesBefore} ReadyForQuery owed. */
    void sent(List<Op> ops, int readiesBefore) {
        if (!ops.isEmpty()) {
            if (requests == null) {
                requests = new ArrayDeque<>(2);
            }
            requests.add(new Request(ops, readiesBefore));
        }
    }

    /**
     * A Parse as the client sent it (name ending at {@code nameEnd}, body ending at {@code end}): a statement whose
     * text is one SAVEPOINT, RELEASE or ROLLBACK is remembered for its Executes. A first look at the text's first word
     * keeps every other Parse cheap.
     */
    void preparing(ByteBuf frame, int start, int nameEnd, int end, Supplier<ClientText> text) {
        if (Frames.isPartial(frame) || nameEnd < 0) {
            return; // a text streamed in pieces is no savepoint statement
        }
        int textEnd = frame.indexOf(nameEnd + 1, end, (byte) 0);
        if (textEnd < 0) {
            return;
        }
        boolean may = SavepointWords.mayBe(frame, nameEnd + 1, textEnd);
        if (!may && !prepared.hasStatements()) {
            return;
        }
        String name = frame.toString(start, nameEnd - start, StandardCharsets.UTF_8);
        String sql = may ? text.get().decode(frame, nameEnd + 1, textEnd) : null;
        List<Op> ops = sql == null ? List.of() : ops(sql, SqlLexer.Reading.STANDARD);
        prepared.prepared(name, ops.size() == 1 ? ops.get(0) : null);
    }

    /** Prepared statements (and their portals) that are one savepoint statement, with it. */
    PreparedMarks<Op> prepared() {
        return prepared;
    }

    /**
     * A message about to be written to the client, while {@code uncommitted} are the transaction's actions.
     *
     * @return true when it was the ROLLBACK tag of a ROLLBACK TO: the transaction is no longer failed
     */
    boolean clientBound(ByteBuf message, byte type, List<ListenAction> uncommitted) {
        if (!following()) {
            return false;
        }
        if (type == BackendType.READY_FOR_QUERY) {
            for (Iterator<Request> it = requests.iterator(); it.hasNext(); ) {
                if (it.next().readiesBefore-- == 0) {
                    it.remove();
                }
            }
            return false;
        }
        if (type != BackendType.COMMAND_COMPLETE) {
            return false;
        }
        Kind kind = ListenTransaction.tagIs(message, SAVEPOINT_TAG) ? Kind.SAVEPOINT
                : ListenTransaction.tagIs(message, RELEASE_TAG) ? Kind.RELEASE
                : ListenTransaction.tagIs(message, ROLLBACK_TAG) ? Kind.ROLLBACK_TO
                : ListenTransaction.tagIs(message, COMMIT_TAG) ? Kind.END : null;
        Op op = kind == null ? null : next(kind);
        if (op == null) {
            return false;
        }
        switch (op.kind()) {
            case SAVEPOINT -> marks.add(new Mark(op.name(), uncommitted.size()));
            case RELEASE -> dropFrom(find(op.name()));
            case ROLLBACK_TO -> {
                int at = find(op.name());
                int keep = at < 0 ? 0 : marks.get(at).actionsBefore();
                uncommitted.subList(keep, uncommitted.size()).clear();
                dropFrom(at < 0 ? 0 : at + 1); // the savepoint itself stays, as in PostgreSQL
                return true;
            }
            default -> {
                return false;
            }
        }
        return false;
    }

    /**
     * The next statement of the requests answered now that produces this kind of tag: ROLLBACK comes from a ROLLBACK
     * TO or from an {@link Kind#END}, COMMIT from an END.
     */
    private Op next(Kind tag) {
        for (Request request : requests) {
            if (request.readiesBefore != 0) {
                return null; // a tag of a request not followed here
            }
            Op op;
            while ((op = request.ops.poll()) != null) {
                if (op.kind() == tag || tag == Kind.ROLLBACK_TO && op.kind() == Kind.END) {
                    return op;
                }
            }
        }
        return null;
    }

    /** The newest mark of {@code name}, or -1: then the savepoint is older than every action followed. */
    private int find(String name) {
        for (int i = marks.size() - 1; i >= 0; i--) {
            if (marks.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void dropFrom(int index) {
        marks.subList(Math.max(0, index), marks.size()).clear();
    }

    /** The transaction ended: its savepoints are gone. Requests in flight stay matched to their tags. */
    void transactionEnded() {
        marks.clear();
    }

    /** The backend went away: its answers will not come. */
    void clear() {
        if (requests != null) {
            requests.clear();
        }
        marks.clear();
    }

    /** Whether statements sent are still to be matched to their tags. */
    boolean following() {
        return requests != null && !requests.isEmpty();
    }
}
