// When the backend a client holds goes away (a restart, a failover), whether the client's connection goes on, and what it is told.
package io.pgmux.server.session;

import io.netty.buffer.ByteBuf;
import io.pgmux.config.PoolMode;
import io.pgmux.protocol.ErrorFields;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.pinning.PinGuard;

/**
 * The rules for a client whose backend went away under it. PostgreSQL ends a session it shuts down with FATAL 57P01
 * (57P02 when crashing, 57P03 when it cannot go on) and closes the socket; a client of PostgreSQL must reconnect.
 * A client of pgmux in transaction or statement pooling owns no session on the backend: only what it had running
 * there is lost. So, as long as it holds no session state there (not pinned), is not in the middle of a COPY and
 * it gets an ERROR with the server's SQLSTATE (08006 when the connection simply broke) in place of
 * the requests it had in flight, then ReadyForQuery, and its connection to pgmux goes on: its next statement runs on
 * another backend, after the failover hold if need be. A client inside a transaction gets the same ERROR, then a
 * ReadyForQuery reporting a failed transaction, and pgmux answers it as PostgreSQL answers in a failed transaction
 * until it ends it ({@link AbandonedTransaction}): its next statements cannot run outside the transaction it believes
 * open, and a COMMIT cannot seem to succeed; after its ROLLBACK it goes on. In session pooling, or when pinned, the
 * client's session is gone with the backend: it is disconnected with the server's FATAL, as by PostgreSQL.
 * Stateless.
 */
final class BackendLoss {
    private BackendLoss() {
    }

    /**
     * The server's goodbye, when {@code errorResponse} is one: a FATAL or PANIC of a server shutting down or
     * crashing, after which it closes the connection; null for any other error, which is relayed as usual.
     */
    static PgException farewell(ByteBuf errorResponse) {
        ErrorFields error;
        try {
            error = ErrorFields.decode(errorResponse);
        } catch (ProtocolException e) {
            return null; // relayed as it is; the client judges it
        }
        boolean fatal = "FATAL".equals(error.severity()) || "PANIC".equals(error.severity());
        return fatal && isShutdown(error.sqlState())
                ? new PgException(Severity.FATAL, error.sqlState(), error.message()) : null;
    }

    /**
     * Whether the client's connection may outlive the backend it holds (see the class comment).
     */
    static boolean survivable(PoolMode mode, PinGuard guard, boolean copying) {
        return mode != PoolMode.SESSION && (guard == null || !guard.pinned()) && !copying;
    }

    /**
     * The ERROR the client gets in place of what it had in flight: the server's SQLSTATE when it said goodbye, else
     * 08006, and a message saying what happened and that the connection to pgmux is still usable.
     */
    static PgException error(PgException farewell, boolean inTransaction) {
        String sqlState = farewell != null ? farewell.sqlState() : SqlState.CONNECTION_FAILURE;
        String said = farewell != null ? " (" + farewell.getMessage() + ")" : "";
        String outcome = inTransaction ? "the transaction is aborted (a COMMIT sent already may or may not have"
                + " taken effect): end it with ROLLBACK"
                : "the statement did not complete";
        return new PgException(Severity.ERROR, sqlState, "the database server ended the connection this statement"
                + " ran on" + said + "; " + outcome + ", the connection to pgmux is still usable");
    }

    private static boolean isShutdown(String sqlState) {
        return SqlState.ADMIN_SHUTDOWN.equals(sqlState) || SqlState.CRASH_SHUTDOWN.equals(sqlState)
                || SqlState.CANNOT_CONNECT_NOW.equals(sqlState);
    }
}
