// Runs pgmux's own statements on a backend and discards their results.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.ErrorFields;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.List;

/**
 * Runs pgmux's own statements (parameter sync, rollback, reset) on a backend and swallows the results, keeping
 * the first error. Each statement is its own Query message because DISCARD ALL refuses to run inside the
 * implicit transaction of a multi-statement Query.
 */
final class QuietQuery implements ServerListener {
    private final ServerConnection server;
    private final List<String> statements;
    private final Promise<Void> promise;
    private int awaitingReadyForQuery;
    private PgException firstError;

    QuietQuery(ServerConnection server, List<String> statements) {
        this.server = server;
        this.statements = statements;
        this.promise = server.eventLoop().newPromise();
    }

    Future<Void> start() {
        if (statements.isEmpty()) {
            return promise.setSuccess(null);
        }
        server.attach(new Route(this, server.eventLoop()));
        if (!server.isOpen()) {
            // Closed before the route was set, so its close may never reach this listener.
            onServerClosed(server, null);
            return promise;
        }
        awaitingReadyForQuery = statements.size();
        for (String sql : statements) {
            server.write(FrontendMessages.query(server.channel().alloc(), sql));
        }
        server.flush();
        return promise;
    }

    @Override
    public void onServerFrame(ServerConnection s, ByteBuf frame) {
        try {
            byte type = Frames.type(frame);
            if (type == BackendType.ERROR_RESPONSE && firstError == null) {
                ErrorFields fields = ErrorFields.decode(frame);
                firstError = new PgException(Severity.ERROR, fields.sqlState(), fields.message());
            } else if (type == BackendType.READY_FOR_QUERY && --awaitingReadyForQuery == 0) {
                s.detach();
                if (firstError == null) {
                    promise.trySuccess(null);
                } else {
                    promise.tryFailure(firstError);
                }
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void onServerClosed(ServerConnection s, Throwable cause) {
        promise.tryFailure(new PgException(Severity.FATAL, SqlState.CONNECTION_FAILURE,
                "server closed the connection during " + statements, null, null));
    }
}
