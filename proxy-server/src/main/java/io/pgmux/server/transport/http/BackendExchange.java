// Runs one HTTP request's statements on a backend borrowed from the pool for just that long.
package io.pgmux.server.transport.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgmux.pool.CancelForwarder;
import io.pgmux.pool.Pool;
import io.pgmux.pool.Route;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.ServerListener;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.CommandComplete;
import io.pgmux.protocol.ErrorFields;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.MessageContinuation;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.pinning.SessionStateDetector;
import io.pgmux.server.session.ParameterSync;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request's stay on a backend. It acquires from the pool like a client (the same wait queue, query_wait_timeout
 * and max_waiting_clients), brings the backend's parameters back to the pool's defaults, sends every statement in
 * the extended protocol (Parse, Bind with text parameters, Describe, Execute) behind one Sync, a batch between BEGIN
 * and COMMIT, reads the answers up to ReadyForQuery and gives the backend back at once: it never pins. Backends left
 * in a failed transaction are rolled back by the pool; a statement that may leave session state (SET, LISTEN,
 * temporary tables, ...) has the backend reset (server_reset_query) before it is lent again, or closed when there
 * is no reset query.
 *
 * <p>Limits: the request fails with 57014 when it takes longer than {@code http_request_timeout} (a running query
 * is cancelled), and with 54000 when its rows exceed {@code http_max_response_size} (they are read and dropped).
 *
 * <p>Threading: every method runs on {@code loop}, the HTTP connection's event loop (the backend's frames come
 * there through the route).
 */
final class BackendExchange implements ServerListener {
    private final Pool pool;
    private final EventLoop loop;
    private final SqlRequest request;
    private final CancelForwarder cancels;
    private final int maxResponse;
    private final Promise<List<StatementResult>> promise;
    private final List<StatementResult> results = new ArrayList<>();
    /** The statements as sent: a batch has BEGIN first and COMMIT last, whose answers are not results. */
    private final List<String> sent = new ArrayList<>();
    private final boolean leavesSessionState;
    private Future<ServerConnection> acquiring;
    private ServerConnection server;
    private ScheduledFuture<?> deadline;
    /** Index in {@link #sent} of the statement being answered. */
    private int answering;
    private ErrorFields error;
    private long responseBytes;
    private boolean oversized;
    /** A DataRow larger than a frame, gathered from its pieces; null when none is. */
    private ByteBuf gathering;

    private BackendExchange(Pool pool, EventLoop loop, SqlRequest request, CancelForwarder cancels, int maxResponse) {
        this.pool = pool;
        this.loop = loop;
        this.request = request;
        this.cancels = cancels;
        this.maxResponse = maxResponse;
        this.promise = loop.newPromise();
        boolean state = false;
        if (request.batch()) {
            sent.add(request.begin());
        }
        for (SqlRequest.Statement statement : request.statements()) {
            sent.add(statement.sql());
            results.add(new StatementResult());
            state |= SessionStateDetector.leavesSessionState(statement.sql());
        }
        if (request.batch()) {
            sent.add("COMMIT");
        }
        this.leavesSessionState = state;
    }

    /**
     * Runs {@code request} on a backend of {@code pool}; call on {@code loop}. The future fails with an
     * {@link HttpFailure} carrying PostgreSQL's error, or pgmux's (pool timeout, request timeout, size limit).
     */
    static Future<List<StatementResult>> run(Pool pool, EventLoop loop, SqlRequest request, CancelForwarder cancels,
                                             int maxResponse, Duration timeout) {
        BackendExchange exchange = new BackendExchange(pool, loop, request, cancels, maxResponse);
        exchange.deadline = loop.schedule(exchange::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        exchange.acquiring = pool.acquire(loop);
        exchange.acquiring.addListener(done -> {
            if (done.isSuccess()) {
                exchange.acquired((ServerConnection) done.getNow());
            } else {
                exchange.fail(failureOf(done.cause()));
            }
        });
        return exchange.promise;
    }

    private void acquired(ServerConnection lent) {
        if (promise.isDone()) {
            pool.release(lent, false); // timed out meanwhile
            return;
        }
        server = lent;
        List<String> resets = ParameterSync.towardsLoginDefaults(lent, pool.loginParameters());
        if (resets.isEmpty()) {
            send();
            return;
        }
        lent.execute(resets).addListener(done -> loop.execute(() -> {
            if (done.isSuccess()) {
                send();
            } else {
                pool.discard(lent);
                server = null;
                fail(failureOf(done.cause()));
            }
        }));
    }

    private void send() {
        if (promise.isDone()) {
            pool.release(server, false);
            server = null;
            return;
        }
        server.attach(new Route(this, loop));
        if (!server.isOpen()) {
            onServerClosed(server, null);
            return;
        }
        ByteBufAllocator alloc = server.channel().alloc();
        int statement = 0;
        for (int i = 0; i < sent.size(); i++) {
            boolean internal = request.batch() && (i == 0 || i == sent.size() - 1);
            List<String> params = internal ? List.of() : request.statements().get(statement++).params();
            server.write(FrontendMessages.parse(alloc, "", sent.get(i), new int[0]));
            server.write(ExtendedMessages.bind(alloc, params));
            if (!internal) {
                server.write(ExtendedMessages.describePortal(alloc));
            }
            server.write(ExtendedMessages.execute(alloc));
        }
        server.write(FrontendMessages.sync());
        server.flush();
    }

    @Override
    public void onServerFrame(ServerConnection s, ByteBuf frame) {
        try {
            byte type = Frames.type(frame);
            switch (type) {
                case BackendType.ROW_DESCRIPTION -> current().ifPresent(r -> r.describe(frame));
                case BackendType.DATA_ROW -> dataRow(frame);
                case BackendType.COMMAND_COMPLETE -> {
                    String tag = CommandComplete.decode(frame).tag();
                    current().ifPresent(r -> r.complete(tag));
                    answering++;
                }
                case BackendType.EMPTY_QUERY_RESPONSE -> answering++;
                case BackendType.ERROR_RESPONSE -> {
                    if (error == null) {
                        error = ErrorFields.decode(frame);
                    }
                }
                case BackendType.READY_FOR_QUERY -> finished(s);
                default -> {
                    // ParseComplete, BindComplete, NoData, notices, ParameterStatus: nothing to report.
                }
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void onServerContinuation(ServerConnection s, MessageContinuation rest) {
        try {
            if (gathering == null) {
                return;
            }
            gathering.writeBytes(rest.content());
            if (rest.isLast()) {
                current().ifPresent(r -> r.row(gathering));
                gathering.release();
                gathering = null;
            }
        } finally {
            rest.release();
        }
    }

    private void dataRow(ByteBuf frame) {
        int length = 1 + 4 + Frames.bodyLength(frame);
        responseBytes += length;
        if (responseBytes > maxResponse) {
            oversized = true;
            return; // its pieces, if any, are dropped: gathering stays null
        }
        if (Frames.isPartial(frame)) {
            gathering = frame.alloc().heapBuffer(length, length);
            gathering.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
            return;
        }
        current().ifPresent(r -> r.row(frame));
    }

    /** The result the backend is answering for, or empty for BEGIN and COMMIT of a batch. */
    private java.util.Optional<StatementResult> current() {
        int index = request.batch() ? answering - 1 : answering;
        return index >= 0 && index < results.size() ? java.util.Optional.of(results.get(index))
                : java.util.Optional.empty();
    }

    private void finished(ServerConnection s) {
        s.detach();
        server = null;
        releaseGathered();
        if (leavesSessionState && pool.limits().resetQuery().isBlank()) {
            pool.discard(s); // no server_reset_query to clear what the statement left: never lend it again
        } else {
            pool.release(s, leavesSessionState);
        }
        if (error != null) {
            fail(HttpFailure.of(error));
        } else if (oversized) {
            fail(HttpFailure.of(SqlState.PROGRAM_LIMIT_EXCEEDED,
                    "the result is larger than http_max_response_size (" + maxResponse + " bytes)"));
        } else {
            deadline.cancel(false);
            promise.trySuccess(results);
        }
    }

    @Override
    public void onServerClosed(ServerConnection s, Throwable cause) {
        server = null;
        releaseGathered();
        fail(HttpFailure.of(SqlState.CONNECTION_FAILURE, "server connection closed during the request"));
    }

    private void timedOut() {
        if (promise.isDone()) {
            return;
        }
        if (acquiring != null && !acquiring.isDone()) {
            acquiring.cancel(false); // leaves the wait queue
        } else if (server != null) {
            // The answer to the cancel still comes through this listener, which then gives the backend back.
            cancels.cancel(loop, server);
        }
        fail(HttpFailure.of(SqlState.QUERY_CANCELED, "canceling statement due to http_request_timeout"));
    }

    private void fail(HttpFailure failure) {
        deadline.cancel(false);
        promise.tryFailure(failure);
    }

    private void releaseGathered() {
        if (gathering != null) {
            gathering.release();
            gathering = null;
        }
    }

    private static HttpFailure failureOf(Throwable cause) {
        if (cause instanceof PgException pg) {
            return HttpFailure.of(pg.sqlState(), pg.getMessage());
        }
        return HttpFailure.of(SqlState.CONNECTION_FAILURE, "no server connection: " + cause.getMessage());
    }

    /** The extended-protocol messages FrontendMessages has no form of: Bind with parameters, Describe, Execute. */
    private static final class ExtendedMessages {
        private ExtendedMessages() {
        }

        /** Bind of the unnamed statement to the unnamed portal, every parameter and result in text format. */
        static ByteBuf bind(ByteBufAllocator alloc, List<String> params) {
            ByteBuf buf = alloc.buffer();
            try {
                buf.writeByte('B').writeInt(0);
                buf.writeByte(0).writeByte(0); // portal "", statement ""
                buf.writeShort(0); // no format codes: all text
                buf.writeShort(params.size());
                for (String param : params) {
                    if (param == null) {
                        buf.writeInt(-1);
                    } else {
                        int lengthAt = buf.writerIndex();
                        buf.writeInt(0);
                        int written = buf.writeCharSequence(param, StandardCharsets.UTF_8);
                        buf.setInt(lengthAt, written);
                    }
                }
                buf.writeShort(0); // results in text
                buf.setInt(1, buf.writerIndex() - 1);
                return buf;
            } catch (RuntimeException e) {
                buf.release();
                throw e;
            }
        }

        static ByteBuf describePortal(ByteBufAllocator alloc) {
            return alloc.buffer(7).writeByte('D').writeInt(6).writeByte('P').writeByte(0);
        }

        static ByteBuf execute(ByteBufAllocator alloc) {
            return alloc.buffer(10).writeByte('E').writeInt(9).writeByte(0).writeInt(0);
        }
    }
}
