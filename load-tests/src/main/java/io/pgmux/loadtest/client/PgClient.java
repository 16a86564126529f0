// One non-blocking PostgreSQL connection with in-order, pipelined simple and extended queries.
package io.pgmux.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.pgmux.protocol.BackendKeyData;
import io.pgmux.protocol.FrontendMessages;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A logged-in connection obtained from {@link PgClientFactory#connect}. Requests may be issued from any thread and
 * may be pipelined; they are sent and answered in the order they were issued on the calling thread.
 *
 * <p>Futures complete on the connection's event loop: callbacks must not block (no {@code join()} inside them),
 * or they stall every connection sharing that loop.
 */
public final class PgClient {
    private static final int[] NO_PARAMETER_TYPES = new int[0];

    private final Channel channel;
    private final RequestQueue requests = new RequestQueue();
    private final Map<String, String> parameters = new ConcurrentHashMap<>();
    private volatile BackendKeyData backendKey;
    private volatile boolean closing;

    PgClient(Channel channel) {
        this.channel = channel;
    }

    /**
     * Runs {@code sql} with the simple-query protocol (several statements allowed). Completes with all rows, tags and
     * the final transaction status; on an ErrorResponse fails with {@link PgClientException} once ReadyForQuery
     * arrived, so the connection stays usable.
     */
    public CompletableFuture<QueryResult> query(String sql) {
        return submit((request, out) -> out.add(FrontendMessages.query(channel.alloc(), sql)));
    }

    /**
     * Runs one statement with the extended protocol: Parse (for the unnamed statement always, for a named one only
     * the first time on this connection), Bind with text parameters (null = SQL NULL), Execute and Sync.
     */
    public CompletableFuture<QueryResult> execute(String statementName, String sql, List<String> textParams) {
        List<String> params = new ArrayList<>(textParams);
        return submit((request, out) -> {
            ByteBufAllocator alloc = channel.alloc();
            if (requests.needsParse(statementName)) {
                request.parsedStatement = statementName;
                out.add(FrontendMessages.parse(alloc, statementName, sql, NO_PARAMETER_TYPES));
            }
            out.add(ExtendedMessages.bind(alloc, statementName, params));
            out.add(ExtendedMessages.execute(alloc));
            out.add(FrontendMessages.sync());
        });
    }

    /** The key for a CancelRequest, or null if the server sent none. */
    public BackendKeyData backendKey() {
        return backendKey;
    }

    /** The server's ParameterStatus values as last reported (live view, unmodifiable). */
    public Map<String, String> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Whether the connection is up and {@link #close()} has not been called. */
    public boolean isOpen() {
        return !closing && channel.isActive();
    }

    /**
     * Sends Terminate and closes the socket; completes when the channel is closed. Idempotent. (Not
     * {@link AutoCloseable}: that interface's {@code void close()} cannot return the future.)
     */
    public CompletableFuture<Void> close() {
        closing = true;
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> closed.complete(null));
        if (channel.isActive()) {
            channel.eventLoop().execute(() -> {
                ChannelFuture written = channel.writeAndFlush(FrontendMessages.terminate());
                written.addListener(f -> channel.close());
            });
        } else {
            channel.close();
        }
        return closed;
    }

    RequestQueue requests() {
        return requests;
    }

    void backendKey(BackendKeyData key) {
        this.backendKey = key;
    }

    void parameterChanged(String name, String value) {
        parameters.put(name, value);
    }

    /**
     * Builds the request's messages on the event loop (all of them before writing any, so a failing encoder cannot
     * leave a half-sent request behind), registers the request and writes them with one flush.
     */
    private CompletableFuture<QueryResult> submit(MessageBuilder builder) {
        PendingRequest request = new PendingRequest();
        if (closing) {
            request.future.completeExceptionally(closedException());
            return request.future;
        }
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                request.future.completeExceptionally(closedException());
                return;
            }
            List<ByteBuf> messages = new ArrayList<>(4);
            try {
                builder.build(request, messages);
            } catch (RuntimeException e) {
                messages.forEach(ByteBuf::release);
                request.future.completeExceptionally(e);
                return;
            }
            requests.add(request);
            messages.forEach(channel::write);
            channel.flush();
        });
        return request.future;
    }

    private static PgClientException closedException() {
        return new PgClientException(PgClientException.CONNECTION_FAILURE, "connection is closed");
    }

    /** Appends the messages of one request to {@code out}; runs on the event loop. */
    @FunctionalInterface
    private interface MessageBuilder {
        void build(PendingRequest request, List<ByteBuf> out);
    }
}
