// Learns whether a freshly logged-in backend is on a primary or a standby.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;

/**
 * The role of the server a backend is on. PostgreSQL 14 and later report it at login ({@code in_hot_standby}), so
 * nothing is sent; older servers are asked {@code SELECT pg_is_in_recovery()} once, before the backend is lent.
 * The backend is detached again when the answer is in.
 */
final class RoleProbe implements ServerListener {
    static final String QUERY = "SELECT pg_is_in_recovery()";

    private final Promise<ServerRole> promise;
    private ServerRole answer = ServerRole.UNKNOWN;

    private RoleProbe(ServerConnection server) {
        this.promise = server.eventLoop().newPromise();
    }

    /** The role of {@code server}'s host, at once from its login when reported, else by asking it. */
    static Future<ServerRole> of(ServerConnection server) {
        ServerRole reported = ServerRole.fromReported(server.reportedParameters());
        if (reported != null) {
            return server.eventLoop().newSucceededFuture(reported);
        }
        RoleProbe probe = new RoleProbe(server);
        server.attach(new Route(probe, server.eventLoop()));
        if (!server.isOpen()) {
            probe.onServerClosed(server, null); // closed before the route was set: its close may never come here
            return probe.promise;
        }
        server.write(FrontendMessages.query(server.channel().alloc(), QUERY));
        server.flush();
        return probe.promise;
    }

    @Override
    public void onServerFrame(ServerConnection s, ByteBuf frame) {
        try {
            byte type = Frames.type(frame);
            if (type == BackendType.DATA_ROW) {
                answer = recovery(frame) ? ServerRole.STANDBY : ServerRole.PRIMARY;
            } else if (type == BackendType.ERROR_RESPONSE) {
                answer = ServerRole.UNKNOWN;
            } else if (type == BackendType.READY_FOR_QUERY) {
                s.detach();
                promise.trySuccess(answer);
            }
        } finally {
            frame.release();
        }
    }

    /** A DataRow of one boolean column in text form: {@code t} while the server is in recovery. */
    private static boolean recovery(ByteBuf row) {
        int at = row.readerIndex() + 5; // type byte and length
        if (row.readableBytes() < 12 || row.getShort(at) != 1 || row.getInt(at + 2) != 1) {
            return false;
        }
        return row.getByte(at + 6) == 't';
    }

    @Override
    public void onServerClosed(ServerConnection s, Throwable cause) {
        promise.tryFailure(new PgException(Severity.FATAL, SqlState.CONNECTION_FAILURE,
                "the database server closed the connection while pgmux asked for its role", null, null));
    }
}
