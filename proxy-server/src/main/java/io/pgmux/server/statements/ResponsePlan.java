// The responses a client is owed, in order, for the messages sent to its server or answered by pgmux itself.
package io.pgmux.server.statements;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.BackendType;
import java.util.function.Consumer;

/**
 * An ordered record of the answers a client is owed: one step per message that gets an answer, whether pgmux sent
 * it to the server (the step says which server message ends its answer and what to do with it) or answers it
 * itself (the step holds the answer, delivered when every earlier answer has been). This is what lets pgmux add a
 * Parse of its own in front of a client's Bind and swallow its ParseComplete, or answer a client's Parse of a
 * statement the server already has, without the client ever seeing the responses out of order.
 *
 * <p>It follows PostgreSQL's error rule for the extended protocol: after an ErrorResponse to Parse, Bind, Describe,
 * Execute or Close, the server ignores every message up to the next Sync, so their steps are dropped (and their
 * {@link Undo}s run: a skipped Parse created nothing) and no answer pgmux owed for them is sent.
 *
 * <p>The messages pgmux streams from the server (DataRow, CopyData, FunctionCallResponse) end no step, so they are
 * always relayed: only the head of a streamed message passes through here, once, and its further pieces go straight
 * to the client behind it ({@code ServerLink.deliverRest}).
 *
 * <p>A ring of parallel arrays, reused for the life of the client: recording and matching a step allocates nothing.
 * Not thread-safe; confined to the client's event loop.
 */
final class ResponsePlan {
    /** What ends a step's answer. */
    static final byte PARSE = 1;
    static final byte BIND = 2;
    static final byte CLOSE = 3;
    static final byte DESCRIBE = 4;
    static final byte EXECUTE = 5;
    /** Sync: ended by ReadyForQuery; an error inside it (a failed commit) does not start skipping. */
    static final byte SYNC = 6;
    /** Query or FunctionCall: ended by ReadyForQuery, however many results and errors come before it. */
    static final byte QUERY = 7;
    /** Answered by pgmux: nothing comes from the server for it. */
    static final byte ANSWERED = 8;

    /** Relay the server's answer to the client. */
    static final byte RELAY = 0;
    /** A message pgmux added: drop the answer that ends it (an error still reaches the client). */
    static final byte SWALLOW = 1;
    /** Relay everything but an ErrorResponse, which is replaced by the step's own message. */
    static final byte SUBSTITUTE_ERROR = 2;

    /** Undoes the bookkeeping of a message that had no effect on the server: it failed or was skipped. */
    interface Undo {
        void undo();
    }

    // Allocated at the first step: an idle client (most of them, in a storm) keeps none.
    private byte[] kinds = new byte[0];
    private byte[] actions = new byte[0];
    private ByteBuf[] messages = new ByteBuf[0];
    private Undo[] undos = new Undo[0];
    private int head;
    private int size;
    private final Consumer<ByteBuf> client;

    /** @param client where answers go, in order (it takes ownership of each buffer) */
    ResponsePlan(Consumer<ByteBuf> client) {
        this.client = client;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** A message was sent to the server; {@code message} only with {@link #SUBSTITUTE_ERROR}. */
    void expect(byte kind, byte action, ByteBuf message, Undo undo) {
        push(kind, action, message, undo);
    }

    void expect(byte kind) {
        push(kind, RELAY, null, null);
    }

    /** pgmux answers a message itself with {@code answer}: at once if nothing is owed before it, else in turn. */
    void answer(ByteBuf answer, Undo undo) {
        if (size == 0) {
            client.accept(answer);
        } else {
            push(ANSWERED, RELAY, answer, undo);
        }
    }

    /** Routes one server frame: to the client, dropped, or replaced, and delivers what pgmux owes after it. */
    void onServerFrame(ByteBuf frame, byte type) {
        if (size == 0) {
            client.accept(frame); // nothing expected: an asynchronous message (notice, notification, parameter)
            return;
        }
        int i = head;
        byte kind = kinds[i];
        if (type == BackendType.ERROR_RESPONSE && kind < SYNC) {
            deliverError(frame, i);
            pop(true);
            skipUntilSync();
            deliverAnswers();
        } else if (ends(kind, type)) {
            if (actions[i] == SWALLOW) {
                frame.release();
            } else {
                client.accept(frame);
            }
            pop(false);
            deliverAnswers();
        } else if (type == BackendType.READY_FOR_QUERY) {
            // Not where the plan expected one: trust the server, end everything up to its Sync.
            skipUntilSync();
            if (size > 0) {
                pop(false);
            }
            client.accept(frame);
            deliverAnswers();
        } else {
            client.accept(frame);
        }
    }

    /** The server went away: whatever was owed will never come. Releases the answers held. */
    void clear() {
        while (size > 0) {
            pop(true);
        }
    }

    private void deliverError(ByteBuf frame, int i) {
        if (actions[i] == SUBSTITUTE_ERROR) {
            frame.release();
            client.accept(messages[i]);
            messages[i] = null;
        } else {
            client.accept(frame);
        }
    }

    private static boolean ends(byte kind, byte type) {
        return switch (kind) {
            case PARSE -> type == BackendType.PARSE_COMPLETE;
            case BIND -> type == BackendType.BIND_COMPLETE;
            case CLOSE -> type == BackendType.CLOSE_COMPLETE;
            case DESCRIBE -> type == BackendType.ROW_DESCRIPTION || type == BackendType.NO_DATA;
            case EXECUTE -> type == BackendType.COMMAND_COMPLETE || type == BackendType.EMPTY_QUERY_RESPONSE
                    || type == BackendType.PORTAL_SUSPENDED;
            case SYNC, QUERY -> type == BackendType.READY_FOR_QUERY;
            default -> false;
        };
    }

    /** After an extended-protocol error: the server ignores everything up to the next Sync. */
    private void skipUntilSync() {
        while (size > 0 && kinds[head] != SYNC) {
            pop(true);
        }
    }

    private void deliverAnswers() {
        while (size > 0 && kinds[head] == ANSWERED) {
            ByteBuf answer = messages[head];
            messages[head] = null;
            pop(false);
            client.accept(answer);
        }
    }

    /** Removes the head step, releasing a message it still holds; {@code failed}: it had no effect, run its undo. */
    private void pop(boolean failed) {
        int i = head;
        Undo undo = undos[i];
        ByteBuf message = messages[i];
        undos[i] = null;
        messages[i] = null;
        head = (head + 1) & (kinds.length - 1);
        size--;
        if (message != null) {
            message.release();
        }
        if (failed && undo != null) {
            undo.undo();
        }
    }

    private void push(byte kind, byte action, ByteBuf message, Undo undo) {
        if (size == kinds.length) {
            grow();
        }
        int i = (head + size) & (kinds.length - 1);
        kinds[i] = kind;
        actions[i] = action;
        messages[i] = message;
        undos[i] = undo;
        size++;
    }

    private void grow() {
        int n = kinds.length;
        int capacity = n == 0 ? 16 : n * 2; // a power of two, for the index masks
        byte[] k = new byte[capacity];
        byte[] a = new byte[capacity];
        ByteBuf[] m = new ByteBuf[capacity];
        Undo[] u = new Undo[capacity];
        for (int j = 0; j < size; j++) {
            int from = (head + j) & (n - 1);
            k[j] = kinds[from];
            a[j] = actions[from];
            m[j] = messages[from];
            u[j] = undos[from];
        }
        kinds = k;
        actions = a;
        messages = m;
        undos = u;
        head = 0;
    }
}
