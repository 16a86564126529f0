// What one client has in flight, in order, and what the backend or pgmux still owes it for each request.
package io.pgmux.server.requests;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.TransactionStatus;
import java.util.function.Supplier;

/**
 * The ordered queue of one client link's requests: one entry per request that is owed an answer, whether it went to
 * the backend (the entry says which server message ends its answer, and whether to relay that message, swallow it or
 * replace an error) or pgmux answers it itself (the entry holds the answer, delivered once every earlier answer has
 * been). For each server message it decides relay, swallow or replace; it knows when the client may give its backend
 * back ({@link #mayGiveBack}); and it follows PostgreSQL's error rule for the extended protocol: after an error, every
 * message up to the next Sync is skipped, on the backend's side ({@link #onServerFrame}) as on pgmux's ({@link
 * #refuse}, {@link #skip}).
 *
 * <p>States, besides the entries themselves:
 * <ul>
 * <li><b>batch open</b>: an extended-protocol message went to the backend since the last Sync, so the rest of the
 * batch must reach the same backend (a Query does not end it: after an error the backend ignores it too);</li>
 * <li><b>copy in</b>: the backend is in COPY FROM STDIN ({@code CopyInResponse} came) and the client has not sent its
 * CopyDone or CopyFail yet; PostgreSQL ignores the Syncs and Flushes it reads meanwhile, so they are owed nothing;</li>
 * <li><b>skipping</b>: pgmux refused a message of an extended-protocol batch; the client's messages up to the Sync
 * are dropped and that Sync is answered by pgmux.</li>
 * </ul>
 * The backend may be given back when no entry is left and neither a batch nor a copy is open.
 *
 * <p>Only the head of a streamed server message (DataRow, CopyData, FunctionCallResponse) passes through here, and
 * none of those ends an entry, so their further pieces always follow them to the client.
 *
 * <p>Recording and matching allocate nothing once the ring has grown to the client's deepest pipeline. Not
 * thread-safe; confined to the client's event loop.
 */
public final class RequestQueue {
    /** Parse, ended by ParseComplete. */
    public static final byte PARSE = 1;
    /** Bind, ended by BindComplete. */
    public static final byte BIND = 2;
    /** Close, ended by CloseComplete. */
    public static final byte CLOSE = 3;
    /** Describe, ended by RowDescription or NoData. */
    public static final byte DESCRIBE = 4;
    /** Execute, ended by CommandComplete, EmptyQueryResponse or PortalSuspended. */
    public static final byte EXECUTE = 5;
    /** Sync, ended by ReadyForQuery; an error inside it (a failed commit) does not start skipping. */
    public static final byte SYNC = 6;
    /** Query or FunctionCall, ended by ReadyForQuery however many results and errors come before it. */
    public static final byte QUERY = 7;
    /** An answer pgmux made for a request (ParseComplete, CloseComplete, an error): nothing comes from the backend. */
    private static final byte ANSWER = 8;
    /** The ReadyForQuery of a Sync pgmux answers itself; the status it reports is read when it is delivered. */
    private static final byte READY = 9;
    /** A CopyDone or CopyFail sent before the backend began the copy it ends: nothing answers it. */
    private static final byte COPY_END = 10;
    /** A Sync the backend reads during COPY FROM STDIN and ignores (libpq sends one behind every Execute). */
    private static final byte IGNORED_SYNC = 11;

    /** Relay the backend's answer to the client. */
    public static final byte RELAY = 0;
    /** A request pgmux added: drop the answer that ends it (an error still reaches the client). */
    public static final byte SWALLOW = 1;
    /** Relay everything but an ErrorResponse, which is replaced by the entry's own message. */
    public static final byte REPLACE_ERROR = 2;

    /**
     * A statement name no backend has: pgmux's own are {@code pgmux_} and hex digits, and clients may not use the
     * prefix. A Bind of it fails, which makes the backend skip to the Sync and abort a transaction like PostgreSQL.
     */
    private static final String MISSING_STATEMENT = "pgmux_missing";

    private final RequestRing ring = new RequestRing();
    private final ClientAnswers client;
    /** Entries ended by a ReadyForQuery: Sync, Query, FunctionCall, and pgmux's own ReadyForQuery. */
    private int readyOwed;
    private boolean batchOpen;
    private boolean copyIn;
    private boolean skipping;
    /** A ReadyForQuery reached the client during the current call. */
    private boolean readySent;

    public RequestQueue(ClientAnswers client) {
        this.client = client;
    }

    /** A client message of type {@code type} was written to the backend unchanged. */
    public void sent(byte type) {
        switch (type) {
            case FrontendType.PARSE -> expect(PARSE);
            case FrontendType.BIND -> expect(BIND);
            case FrontendType.DESCRIBE -> expect(DESCRIBE);
            case FrontendType.CLOSE -> expect(CLOSE);
            case FrontendType.EXECUTE -> expect(EXECUTE);
            case FrontendType.QUERY, FrontendType.FUNCTION_CALL -> expect(QUERY);
            case FrontendType.SYNC -> {
                if (!copyIn) {
                    expect(SYNC);
                }
            }
            case FrontendType.FLUSH -> batchOpen |= !copyIn;
            case FrontendType.COPY_DONE, FrontendType.COPY_FAIL -> copyEnded();
            default -> {
                // CopyData: part of a copy, answered by the CommandComplete of the Query or Execute that began it
            }
        }
    }

    /** A request was written to the backend whose answer is relayed. */
    public void expect(byte kind) {
        expect(kind, RELAY, null, null);
    }

    /**
     * A request was written to the backend: the client's, perhaps renamed, or one pgmux added.
     *
     * @param replacement only with {@link #REPLACE_ERROR}: the error the client gets instead of the backend's
     * @param undo        run if the backend fails or skips the request; may be null
     */
    public void expect(byte kind, byte action, ByteBuf replacement, Undo undo) {
        if (kind == SYNC || kind == QUERY) {
            readyOwed++;
        }
        // Only a Sync ends a batch: after an error PostgreSQL ignores even a Query until the Sync comes.
        if (kind == SYNC) {
            batchOpen = false;
        } else if (kind != QUERY) {
            batchOpen = true;
        }
        ring.push(kind, action, replacement, undo);
    }

    /** pgmux answers a request itself with {@code answer}: at once if nothing is owed before it, else in its turn. */
    public void answer(ByteBuf answer, Undo undo) {
        if (ring.isEmpty()) {
            client.write(answer);
        } else {
            ring.push(ANSWER, RELAY, answer, undo);
        }
    }

    /**
     * pgmux refuses a client message of type {@code type} with {@code error}, in the message's place in the order,
     * as PostgreSQL answers an error: a Query, FunctionCall or Sync then gets ReadyForQuery; any other message makes
     * the client's messages up to the next Sync be skipped ({@link #skip}). Nothing goes to the backend, so this is
     * only right while the backend has no batch, copy or transaction of the client's open ({@link #answersAlone}).
     *
     * @return true when a ReadyForQuery reached the client and nothing more is owed
     */
    public boolean refuse(ByteBuf error, byte type) {
        readySent = false;
        answer(error, null);
        if (type == FrontendType.QUERY || type == FrontendType.FUNCTION_CALL || type == FrontendType.SYNC) {
            answerReady();
        } else {
            skipping = true;
        }
        return readyAndIdle();
    }

    /**
     * pgmux refuses a client's Parse, Bind, Describe or Close with {@code error} while the backend holds part of the
     * client's batch or transaction ({@link #answersAlone} is false): the backend must fail in step, so that it skips
     * the rest of the batch and aborts the transaction as PostgreSQL would, and the client gets {@code error} in place
     * of the backend's.
     *
     * @return the request to write to the backend in place of the refused one
     */
    public ByteBuf refuseInStep(ByteBuf error, ByteBufAllocator alloc) {
        expect(BIND, REPLACE_ERROR, error, null);
        return FrontendMessages.bind(alloc, "", MISSING_STATEMENT);
    }

    /** After {@link #refuse}: the client's messages are dropped up to the next Sync. */
    public boolean skipping() {
        return skipping;
    }

    /**
     * A client message that arrived while {@link #skipping}, which the caller drops; a Sync ends the skipping and
     * is answered with ReadyForQuery.
     *
     * @return true when a ReadyForQuery reached the client and nothing more is owed
     */
    public boolean skip(byte type) {
        readySent = false;
        if (type == FrontendType.SYNC) {
            skipping = false;
            answerReady();
        }
        return readyAndIdle();
    }

    /** A Sync pgmux answers itself (a batch answered without a backend). @return as {@link #skip} */
    public boolean answerSync() {
        readySent = false;
        answerReady();
        return readyAndIdle();
    }

    /**
     * Whether pgmux may answer an error for the client alone, the backend taking no part: nothing is owed, no batch
     * or copy is open and the backend is outside a transaction. Otherwise the backend must fail in step with the
     * client, so that it skips the rest of the batch and aborts the transaction as PostgreSQL does.
     */
    public boolean answersAlone(TransactionStatus backendStatus) {
        return ring.isEmpty() && !batchOpen && !copyIn && backendStatus == TransactionStatus.IDLE;
    }

    /**
     * Routes one backend message: to the client, dropped or replaced, then delivers what pgmux owes after it.
     * Takes ownership of the frame.
     *
     * @return true when a ReadyForQuery reached the client and nothing more is owed
     */
    public boolean onServerFrame(ByteBuf frame, byte type) {
        readySent = false;
        if (ring.isEmpty()) {
            relay(frame, type); // nothing owed: an asynchronous message (notice, notification, parameter)
            return readyAndIdle();
        }
        byte kind = ring.kind(0);
        if (type == BackendType.ERROR_RESPONSE && kind < SYNC) {
            copyIn = false;
            deliverError(frame, type);
            pop(true);
            skipToSync();
        } else if (ends(kind, type)) {
            if (ring.headAction() == SWALLOW) {
                frame.release();
            } else {
                relay(frame, type);
            }
            pop(false);
        } else if (type == BackendType.READY_FOR_QUERY) {
            // Not where the queue expected one: trust the backend, end everything up to its Sync.
            skipToSync();
            if (!ring.isEmpty()) {
                pop(false);
            }
            relay(frame, type);
        } else {
            if (type == BackendType.COPY_IN_RESPONSE) {
                copyInStarted();
            } else if (type == BackendType.ERROR_RESPONSE) {
                copyIn = false; // a failed COPY of a Query: the backend left copy mode
            }
            relay(frame, type);
        }
        deliverAnswers();
        return readyAndIdle();
    }

    /** How many ReadyForQuery messages the client is owed now: a request recorded next gets its own after them. */
    public int readyOwed() {
        return readyOwed;
    }

    /** A request is running on the backend (or pgmux's ReadyForQuery waits behind one). */
    public boolean busy() {
        return readyOwed > 0;
    }

    /** Part of a request or batch has reached the backend: there is no clean point to answer the client alone. */
    public boolean midRequest() {
        return readyOwed > 0 || batchOpen || copyIn;
    }

    /** Everything is answered and no batch or copy is half done: the backend may go back to the pool. */
    public boolean mayGiveBack() {
        return ring.isEmpty() && !batchOpen && !copyIn;
    }

    /** The backend is in COPY FROM STDIN, or the client's copy has not been answered yet. */
    public boolean copying() {
        return copyIn;
    }

    /**
     * The backend went away with requests in flight, outside a copy, and the client's connection goes on: answers
     * them as PostgreSQL answers a failed statement. The first request still owed of each Query or batch gets an
     * error made by {@code error}, and its Sync or Query the ReadyForQuery that ends it (the status is read from the
     * client side, idle without a backend); answers pgmux made that come before it are delivered, later ones of the
     * failed batch dropped. A batch still open gets its error now and its messages are skipped to the client's Sync.
     *
     * @return true when a ReadyForQuery reached the client and nothing more is owed
     */
    public boolean serverLost(Supplier<ByteBuf> error) {
        readySent = false;
        boolean failed = false;
        while (!ring.isEmpty()) {
            byte kind = ring.kind(0);
            if (kind == ANSWER) {
                ByteBuf answer = ring.takeHeadMessage();
                pop(false);
                if (failed) {
                    answer.release();
                } else {
                    client.write(answer);
                }
            } else if (kind == READY || kind == SYNC || kind == QUERY) {
                if (kind != READY && !failed) {
                    client.write(error.get());
                }
                pop(kind != READY);
                deliverReady();
                failed = false;
            } else if (kind == COPY_END || kind == IGNORED_SYNC) {
                pop(false);
            } else {
                if (!failed) {
                    client.write(error.get());
                    failed = true;
                }
                pop(true);
            }
        }
        readyOwed = 0;
        copyIn = false;
        if (batchOpen) {
            if (!failed) {
                client.write(error.get());
            }
            batchOpen = false;
            skipping = true;
        }
        return readyAndIdle();
    }

    /** The backend went away: whatever it owed will never come. Releases the answers held, delivering none. */
    public void clear() {
        while (!ring.isEmpty()) {
            pop(true);
        }
        readyOwed = 0;
        batchOpen = false;
        copyIn = false;
        skipping = false;
    }

    private void relay(ByteBuf frame, byte type) {
        if (type == BackendType.READY_FOR_QUERY) {
            readySent = true;
        }
        client.write(frame);
    }

    private void deliverError(ByteBuf frame, byte type) {
        if (ring.headAction() == REPLACE_ERROR) {
            frame.release();
            client.write(ring.takeHeadMessage());
        } else {
            relay(frame, type);
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

    /** After an extended-protocol error: the backend ignores everything up to the next Sync, Query included. */
    private void skipToSync() {
        while (!ring.isEmpty() && ring.kind(0) != SYNC && ring.kind(0) != READY) {
            pop(true);
        }
    }

    /**
     * CopyInResponse: PostgreSQL now ignores Syncs until the client's CopyDone or CopyFail, so the Syncs sent behind
     * the request that began the copy are owed nothing, and the batch stays open for the Sync that follows the copy.
     */
    private void copyInStarted() {
        for (int p = 1; p < ring.size(); p++) {
            byte kind = ring.kind(p);
            if (kind == COPY_END) {
                return; // the client ended the copy already
            }
            if (kind == SYNC) {
                ring.kind(p, IGNORED_SYNC);
                readyOwed--;
                batchOpen = true;
            }
        }
        copyIn = true;
    }

    /** The client sent CopyDone or CopyFail. */
    private void copyEnded() {
        if (copyIn) {
            copyIn = false;
        } else if (!ring.isEmpty()) {
            ring.push(COPY_END, RELAY, null, null); // the copy has not begun yet, or never will (its request failed)
        }
    }

    private void answerReady() {
        if (ring.isEmpty()) {
            deliverReady();
        } else {
            ring.push(READY, RELAY, null, null);
            readyOwed++;
        }
    }

    private void deliverReady() {
        readySent = true;
        client.write(BackendMessages.readyForQuery(client.transactionStatus()));
    }

    /** Delivers, in order, what pgmux owes once the backend has answered everything before it. */
    private void deliverAnswers() {
        while (!ring.isEmpty()) {
            byte kind = ring.kind(0);
            if (kind == ANSWER) {
                ByteBuf answer = ring.takeHeadMessage();
                pop(false);
                client.write(answer);
            } else if (kind == READY) {
                pop(false);
                deliverReady();
            } else if (kind == COPY_END || kind == IGNORED_SYNC) {
                pop(false);
            } else {
                return;
            }
        }
    }

    private void pop(boolean failed) {
        byte kind = ring.kind(0);
        if (kind == SYNC || kind == QUERY || kind == READY) {
            readyOwed--;
        }
        ring.pop(failed);
    }

    private boolean readyAndIdle() {
        return readySent && readyOwed == 0;
    }
}
