// Matches backend messages to the oldest outstanding request, so pipelined requests are answered in order.
package io.pgmux.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.CommandComplete;
import io.pgmux.protocol.ErrorFields;
import io.pgmux.protocol.FrameReader;
import io.pgmux.protocol.ReadyForQuery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The FIFO of requests sent but not yet answered, plus the named statements parsed on this connection. Every
 * request ends with exactly one ReadyForQuery (each carries its own Sync or is one simple Query), which is what
 * makes a plain FIFO sufficient. Touched only on the connection's event loop.
 */
final class RequestQueue {
    private final ArrayDeque<PendingRequest> pending = new ArrayDeque<>();
    private final Set<String> parsed = new HashSet<>();

    /** Whether a Parse must be sent for {@code name}: always for the unnamed statement, once for a named one. */
    boolean needsParse(String name) {
        return name.isEmpty() || !parsed.contains(name);
    }

    /** Registers a request about to be written; a named Parse counts as done until an error says otherwise. */
    void add(PendingRequest request) {
        if (request.parsedStatement != null && !request.parsedStatement.isEmpty()) {
            parsed.add(request.parsedStatement);
        }
        pending.add(request);
    }

    /** Handles one post-login backend message; the caller keeps ownership of {@code frame}. */
    void onMessage(byte type, ByteBuf frame) {
        PendingRequest head = pending.peek();
        switch (type) {
            case BackendType.DATA_ROW:
                requireHead(head, type).rows.add(decodeRow(frame));
                break;
            case BackendType.COMMAND_COMPLETE:
                requireHead(head, type).tags.add(CommandComplete.decode(frame).tag());
                break;
            case BackendType.PARSE_COMPLETE:
                requireHead(head, type).parseConfirmed = true;
                break;
            case BackendType.ERROR_RESPONSE:
                onError(head, PgClientException.of(ErrorFields.decode(frame)));
                break;
            case BackendType.READY_FOR_QUERY:
                char status = (char) ReadyForQuery.status(frame).code();
                requireHead(head, type);
                pending.remove();
                head.finish(status);
                break;
            case BackendType.COPY_IN_RESPONSE:
            case BackendType.COPY_OUT_RESPONSE:
            case BackendType.COPY_BOTH_RESPONSE:
                throw new PgClientException(PgClientException.PROTOCOL, "COPY is not supported by this client");
            default:
                // RowDescription, BindComplete, NoData, EmptyQueryResponse, notices, notifications: nothing to keep.
                break;
        }
    }

    private void onError(PendingRequest head, PgClientException error) {
        if (head == null) {
            // Only a session-ending error (e.g. FATAL on shutdown) arrives outside a request: fail with it.
            throw error;
        }
        if (head.parsedStatement != null && !head.parseConfirmed) {
            parsed.remove(head.parsedStatement);
        }
        head.fail(error);
    }

    /** Fails every outstanding request, e.g. because the connection closed. */
    void failAll(PgClientException error) {
        for (PendingRequest request = pending.poll(); request != null; request = pending.poll()) {
            // A request that already got its own error (e.g. a FATAL before the close) reports that one.
            request.future.completeExceptionally(request.error != null ? request.error : error);
        }
    }

    private static PendingRequest requireHead(PendingRequest head, byte type) {
        if (head == null) {
            throw new PgClientException(PgClientException.PROTOCOL,
                    "unexpected " + BackendType.name(type) + " with no request outstanding");
        }
        return head;
    }

    private static List<String> decodeRow(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.DATA_ROW, "DataRow");
        int columns = reader.readUnsignedInt16();
        List<String> row = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            int length = reader.readInt32();
            row.add(length < 0 ? null : new String(reader.readBytes(length), StandardCharsets.UTF_8));
        }
        reader.expectEnd();
        return row;
    }
}
