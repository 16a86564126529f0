// One health check of one host: a fresh login, one query for the role and the replay lag, then goodbye.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Logs in to one host as the pool would, asks {@link #QUERY} and closes the connection. The connection is not one
 * of the pool's backends: no client ever sees it, and the pool's accounting ignores it. Succeeds with a
 * {@link Report}, fails when the host cannot be reached or logged in to, or does not answer within the timeout.
 */
final class HostProbe implements ServerListener {
    /**
     * The role, and for a standby how far replay is behind: the age of the last transaction replayed while WAL
     * received is still waiting to be replayed, 0 when everything received is replayed (an idle primary makes no
     * new WAL, so the age of the last transaction alone would grow without any lag). PostgreSQL 10 and later.
     */
    static final String QUERY = "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery()"
            + " OR pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
            + " ELSE COALESCE((extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0) END";

    /** What a check learnt: the host's role and, for a standby, its replay lag (-1 when unknown). */
    record Report(ServerRole role, long replayLagMillis) {
    }

    private final Promise<Report> promise;
    private ServerRole role = ServerRole.UNKNOWN;
    private long lagMillis = -1;

    private HostProbe(EventLoop loop) {
        this.promise = loop.newPromise();
    }

    /** Checks the host {@code target} names (a target narrowed to one host), giving up after {@code timeoutNanos}. */
    static Future<Report> run(BackendConnector connector, Pool pool, BackendTarget target, EventLoop loop,
                              long timeoutNanos) {
        HostProbe probe = new HostProbe(loop);
        Future<ServerConnection> connecting;
        try {
            connecting = connector.connect(pool, target, loop);
        } catch (RuntimeException e) { // e.g. the loop is shutting down
            probe.promise.tryFailure(e);
            return probe.promise;
        }
        connecting.addListener((Future<ServerConnection> f) -> {
            if (!f.isSuccess()) {
                probe.promise.tryFailure(f.cause());
                return;
            }
            ServerConnection server = f.getNow();
            if (probe.promise.isDone()) { // timed out while logging in
                server.terminate(1000);
                return;
            }
            probe.promise.addListener(done -> server.terminate(1000));
            server.attach(new Route(probe, server.eventLoop()));
            if (!server.isOpen()) {
                probe.onServerClosed(server, null);
                return;
            }
            server.write(FrontendMessages.query(server.channel().alloc(), QUERY));
            server.flush();
        });
        loop.schedule(() -> probe.promise.tryFailure(new PgException(Severity.ERROR, SqlState.CONNECTION_FAILURE,
                "no answer to the health check within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")),
                timeoutNanos, TimeUnit.NANOSECONDS);
        return probe.promise;
    }

    @Override
    public void onServerFrame(ServerConnection s, ByteBuf frame) {
        try {
            byte type = Frames.type(frame);
            if (type == BackendType.DATA_ROW) {
                read(frame);
            } else if (type == BackendType.READY_FOR_QUERY) {
                s.detach();
                // An ErrorResponse (a server older than 10) leaves the role unknown: reachable is still worth knowing.
                promise.trySuccess(new Report(role, lagMillis));
            }
        } finally {
            frame.release();
        }
    }

    /** A DataRow of two text columns: {@code t}/{@code f}, then the lag in milliseconds. */
    private void read(ByteBuf row) {
        int at = row.readerIndex() + 5; // type byte and length
        if (row.readableBytes() < 7 || row.getShort(at) != 2) {
            return;
        }
        at += 2;
        int length = row.getInt(at);
        if (length != 1) {
            return;
        }
        role = row.getByte(at + 4) == 't' ? ServerRole.STANDBY : ServerRole.PRIMARY;
        at += 5;
        length = row.getInt(at);
        if (length > 0 && length < 20) {
            try {
                lagMillis = Long.parseLong(row.toString(at + 4, length, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                lagMillis = -1;
            }
        }
    }

    @Override
    public void onServerClosed(ServerConnection s, Throwable cause) {
        promise.tryFailure(new PgException(Severity.ERROR, SqlState.CONNECTION_FAILURE,
                "the database server closed the connection during the health check", null, null));
    }
}
