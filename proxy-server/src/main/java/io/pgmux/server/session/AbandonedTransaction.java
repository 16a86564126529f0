// A client whose backend went away inside a transaction: answered as PostgreSQL answers a failed transaction.
package io.pgmux.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BindHeader;
import io.pgmux.protocol.Close;
import io.pgmux.protocol.Describe;
import io.pgmux.protocol.Execute;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.Parse;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Query;
import io.pgmux.protocol.Severity;
import io.pgmux.server.requests.RequestQueue;
import io.pgmux.server.sql.SqlLexer;
import io.pgmux.server.sql.SqlStatement;
import java.util.HashMap;
import java.util.Map;

/**
 * The transaction of a client whose backend went away inside it (see {@link BackendLoss}). The client was told so
 * with an ERROR and a ReadyForQuery reporting a failed transaction ({@code E}), and pgmux now answers it alone, as
 * PostgreSQL answers in a failed transaction, until the client ends it: COMMIT, END, ROLLBACK or ABORT get
 * CommandComplete {@code ROLLBACK} (as PostgreSQL answers the COMMIT of a failed transaction) and the client is idle
 * again, its next statement running on another backend; anything else gets ERROR 25P02. So no statement of the
 * client runs outside the transaction it believes open, and a COMMIT cannot seem to succeed. A client that had
 * nothing in flight when the backend went away (idle in its transaction) was told nothing yet: its next statement
 * gets the ERROR that says what happened instead of 25P02, a COMMIT included (which then ends the transaction, as a
 * failed COMMIT does).
 *
 * <p>Divergences, all ending in the same place (the client rolls back): ROLLBACK TO SAVEPOINT is refused (the
 * savepoint was on the lost backend); a Query of several statements is refused even when it begins with ROLLBACK;
 * COMMIT AND CHAIN and ROLLBACK AND CHAIN end the transaction without starting another.
 *
 * <p>Confined to the client's event loop.
 */
final class AbandonedTransaction {
    private static final String ABORTED = "current transaction is aborted, commands ignored until end of transaction"
            + " block (the database server it ran on went away; end it with ROLLBACK)";

    private final ByteBufAllocator alloc;
    private boolean active;
    /** The error that says the backend went away, while the client has not been told; else null. */
    private PgException untold;
    /** Statements the client prepared since that end the transaction, and whether each is a COMMIT. */
    private final Map<String, Boolean> exitStatements = new HashMap<>();
    /** Portals bound to one of {@link #exitStatements}, and whether each is a COMMIT. */
    private final Map<String, Boolean> exitPortals = new HashMap<>();

    AbandonedTransaction(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * The backend went away inside the client's transaction.
     *
     * @param untold the error to give the client's next statement when it had nothing in flight to be told with
     */
    void begin(PgException untold) {
        active = true;
        this.untold = untold;
        exitStatements.clear();
        exitPortals.clear();
    }

    /** Whether the client is still in the transaction that was lost. */
    boolean active() {
        return active;
    }

    /**
     * Answers a client message while {@link #active}, in its turn in {@code queue}. Takes the frame.
     *
     * @return true when a ReadyForQuery reached the client and nothing more is owed
     */
    boolean answer(ByteBuf frame, byte type, RequestQueue queue) {
        try {
            return switch (type) {
                case FrontendType.QUERY -> query(Query.sql(frame), queue);
                case FrontendType.PARSE -> parse(Parse.decode(frame), queue);
                case FrontendType.BIND -> bind(BindHeader.decode(frame), queue);
                case FrontendType.DESCRIBE -> describe(Describe.decode(frame), queue);
                case FrontendType.EXECUTE -> execute(Execute.decode(frame), queue);
                case FrontendType.CLOSE -> close(Close.decode(frame), queue);
                case FrontendType.SYNC -> queue.answerSync();
                case FrontendType.FUNCTION_CALL -> queue.refuse(aborted(), FrontendType.QUERY);
                default -> false; // Flush; copy messages outside a copy, which PostgreSQL ignores too
            };
        } finally {
            frame.release();
        }
    }

    private boolean query(String sql, RequestQueue queue) {
        Exit exit = exitOf(sql);
        if (exit == null) {
            return queue.refuse(aborted(), FrontendType.QUERY);
        }
        ByteBuf failedCommit = end(exit == Exit.COMMIT);
        if (failedCommit != null) {
            return queue.refuse(failedCommit, FrontendType.QUERY);
        }
        queue.answer(BackendMessages.commandComplete(alloc, "ROLLBACK"), null);
        return queue.answerSync();
    }

    /** The client ends the transaction. @return the error its COMMIT gets when it was not told yet, else null */
    private ByteBuf end(boolean commit) {
        active = false; // what follows reports the client idle
        PgException error = commit ? untold : null;
        untold = null;
        return error == null ? null : BackendMessages.errorResponse(alloc, error);
    }

    private boolean parse(Parse parse, RequestQueue queue) {
        Exit exit = exitOf(parse.query());
        if (exit == null) {
            return queue.refuse(aborted(), FrontendType.PARSE);
        }
        exitStatements.put(parse.statementName(), exit == Exit.COMMIT);
        queue.answer(BackendMessages.parseComplete(), null);
        return false;
    }

    private boolean bind(BindHeader bind, RequestQueue queue) {
        Boolean commit = exitStatements.get(bind.statementName());
        if (commit == null) {
            return queue.refuse(aborted(), FrontendType.BIND);
        }
        exitPortals.put(bind.portalName(), commit);
        queue.answer(BackendMessages.bindComplete(), null);
        return false;
    }

    private boolean describe(Describe describe, RequestQueue queue) {
        if (describe.kind() == Describe.STATEMENT && exitStatements.containsKey(describe.name())) {
            queue.answer(BackendMessages.noParameters(), null);
            queue.answer(BackendMessages.noData(), null);
            return false;
        }
        if (describe.kind() == Describe.PORTAL && exitPortals.containsKey(describe.name())) {
            queue.answer(BackendMessages.noData(), null);
            return false;
        }
        return queue.refuse(aborted(), FrontendType.DESCRIBE);
    }

    private boolean execute(Execute execute, RequestQueue queue) {
        Boolean commit = exitPortals.get(execute.portalName());
        if (commit == null) {
            return queue.refuse(aborted(), FrontendType.EXECUTE);
        }
        ByteBuf failedCommit = end(commit);
        if (failedCommit != null) {
            return queue.refuse(failedCommit, FrontendType.EXECUTE);
        }
        queue.answer(BackendMessages.commandComplete(alloc, "ROLLBACK"), null);
        return false;
    }

    private boolean close(Close close, RequestQueue queue) {
        (close.kind() == Close.STATEMENT ? exitStatements : exitPortals).remove(close.name());
        queue.answer(BackendMessages.closeComplete(), null);
        return false;
    }

    private ByteBuf aborted() {
        PgException error = untold != null ? untold : new PgException(Severity.ERROR, "25P02", ABORTED);
        untold = null;
        return BackendMessages.errorResponse(alloc, error);
    }

    /** How a statement ends the transaction. */
    enum Exit { COMMIT, ROLLBACK }

    /** One COMMIT, END, ROLLBACK or ABORT statement (optionally WORK or TRANSACTION), and nothing else. */
    static boolean endsTransaction(String sql) {
        return exitOf(sql) != null;
    }

    /** How {@code sql} ends the transaction, or null when it is not one statement that does. */
    private static Exit exitOf(String sql) {
        if (SqlLexer.readings(sql).size() != 1) {
            return null;
        }
        SqlLexer lexer = SqlLexer.of(sql, SqlLexer.Reading.STANDARD);
        SqlStatement st = lexer.next();
        // ROLLBACK TO [SAVEPOINT] x and COMMIT/ROLLBACK PREPARED 'x' are other statements.
        if (st == null || lexer.next() != null || lexer.nested() || st.isWord(1, "to") || st.isWord(1, "prepared")) {
            return null;
        }
        if (st.isWord(0, "commit") || st.isWord(0, "end")) {
            return Exit.COMMIT;
        }
        return st.isWord(0, "rollback") || st.isWord(0, "abort") ? Exit.ROLLBACK : null;
    }
}
