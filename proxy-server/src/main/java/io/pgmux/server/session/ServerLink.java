package io.pgmux.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.StatementCounters;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.MessageContinuation;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.server.notify.ClientListens;
import io.pgmux.server.requests.ClientAnswers;
import io.pgmux.server.requests.RequestQueue;
import io.pgmux.server.statements.StatementRouter;
import java.util.ArrayDeque;

/**
 * A client's link to the backend it holds: writes the client's messages to it (through the {@link StatementRouter}
 * when named statements follow the client), records each in the client's {@link RequestQueue}, and hands the
 * backend's answers to the client as the queue decides. It decides nothing about pools or pinning: {@link
 * ClientSession} asks it whether the backend is {@link #idle()} before giving it back.
 *
 * <p>One per client, reused for every backend it is lent; confined to the client's event loop.
 */
final class ServerLink implements ClientAnswers {
    private final ChannelHandlerContext client;
    /** Null in session mode or with max_prepared_statements 0: messages are relayed unchanged. */
    private final StatementRouter statements;
    /** What the client has in flight, in order, and what it is owed for each request. */
    private final RequestQueue queue = new RequestQueue(this);
    /** The client's transaction when its backend went away inside it, answered by pgmux until the client ends it. */
    private AbandonedTransaction abandoned;
    private ServerConnection server;
    private boolean serverNeedsFlush;
    /** pgmux answered a client message itself while the client was being read. */
    private boolean clientNeedsFlush;
    /**
     * Messages written to the client so far (wrapping is harmless): what the backend's answers are flushed with is
     * told apart from what pgmux answered during a client read, which only the client's read-complete flushes.
     */
    private int clientWrites;
    /** Sees every message written to the client, in order, when LISTEN is answered by pgmux; else null. */
    private ClientListens listens;
    /** Client-bound messages held back until the hub LISTENs on what the client just committed to; else null. */
    private ArrayDeque<ByteBuf> held;
    /** Commits whose LISTENs {@link #held} still waits for. */
    private int gates;

    /** @param maxStatements prepared statements per backend to route; 0 relays every message unchanged */
    ServerLink(ChannelHandlerContext client, int maxStatements, StatementCounters counters) {
        this.client = client;
        this.statements = maxStatements > 0
                ? new StatementRouter(maxStatements, counters, client.alloc(), queue) : null;
    }

    /** From now on, every message written to the client passes through {@code watcher} first. */
    void watch(ClientListens watcher) {
        this.listens = watcher;
    }

    boolean routesStatements() {
        return statements != null;
    }

    /** The transaction lost with its backend that pgmux answers until the client ends it; null when there is none. */
    AbandonedTransaction abandoned() {
        return abandoned != null && abandoned.active() ? abandoned : null;
    }

    /** The backend held, or null. */
    ServerConnection server() {
        return server;
    }

    /** The client's requests; what it is owed for each. */
    RequestQueue requests() {
        return queue;
    }

    void attach(ServerConnection s) {
        server = s;
    }

    /** Lets go of the backend (the caller gives it back to the pool) and returns it. */
    ServerConnection detach() {
        ServerConnection s = server;
        server = null;
        return s;
    }

    /** The backend went away: nothing it owed will come. */
    void lost() {
        server = null;
        if (listens != null) {
            listens.serverLost();
        }
        queue.clear(); // releases answers still owed
    }

    /**
     * The backend went away under requests of the client whose connection goes on ({@link BackendLoss}): answers
     * them with {@code error} and ReadyForQuery, as {@link RequestQueue#serverLost} says.
     *
     * @param inTransaction the client was inside a transaction: it is now in a failed one ({@link AbandonedTransaction})
     *
     * @return true when a ReadyForQuery reached the client and nothing more is owed
     */
    boolean lostUnder(PgException error, boolean inTransaction) {
        if (inTransaction) {
            // The ReadyForQuery after the error reports a failed transaction; with nothing in flight, no error is
            // written now and the client's next statement gets it.
            if (abandoned == null) {
                abandoned = new AbandonedTransaction(client.alloc()); // made on first use: most clients never need it
            }
            abandoned.begin(queue.midRequest() ? null : error);
        }
        server = null;
        serverNeedsFlush = false;
        if (listens != null) {
            listens.serverLost();
        }
        return queue.serverLost(() -> BackendMessages.errorResponse(client.alloc(), error));
    }

    /**
     * Writes a client message to the backend (flushed by {@link #flush}).
     *
     * @return true when it starts a request while nothing was outstanding (the query clock starts)
     */
    boolean send(ByteBuf frame) {
        byte type = Frames.type(frame);
        boolean wasBusy = queue.busy();
        if (statements != null && StatementRouter.routes(type)) {
            int writes = clientWrites;
            PgException refusal = statements.send(frame, server);
            if (refusal != null) {
                refuse(refusal, type);
            }
            clientNeedsFlush |= writes != clientWrites;
        } else {
            server.write(frame);
            queue.sent(type);
        }
        serverNeedsFlush = true;
        return !wasBusy && queue.busy();
    }

    /**
     * Answers, in its place in the order, a message the statement router refused (PostgreSQL would have failed it,
     * the backend cannot): by pgmux alone while the backend has nothing of the client's open, else with the backend
     * failing in step, so that its batch and transaction end as PostgreSQL's would.
     */
    private void refuse(PgException error, byte type) {
        ByteBuf answer = BackendMessages.errorResponse(client.alloc(), error);
        if (queue.answersAlone(server.transactionStatus())) {
            queue.refuse(answer, type); // a Parse, Bind, Describe or Close: the client's batch is skipped to its Sync
        } else {
            server.write(queue.refuseInStep(answer, client.alloc()));
        }
    }

    /** Whether a Parse or Close may be answered without a backend (the final say is {@link #answerWithoutServer}). */
    boolean mayAnswerWithoutServer(ByteBuf frame) {
        if (statements == null || server != null) {
            return false; // without the router, a named statement lives only on the backend it was parsed on
        }
        byte type = Frames.type(frame);
        return type == FrontendType.CLOSE
                || type == FrontendType.PARSE && frame.getByte(Frames.bodyStart(frame)) != 0; // a named Parse
    }

    /**
     * Answers a message that needs no backend while none is held: a named Parse (prepared later, where it is
     * first used) or a Close. Takes ownership of the frame when it returns true.
     */
    boolean answerWithoutServer(ByteBuf frame) {
        if (statements == null || server != null) {
            return false; // without the router, a named statement lives only on the backend it was parsed on
        }
        byte type = Frames.type(frame);
        if (type == FrontendType.PARSE) {
            clientNeedsFlush = true;
            return statements.parseWithoutServer(frame);
        }
        if (type == FrontendType.CLOSE) {
            clientNeedsFlush = true;
            statements.closeWithoutServer(frame);
            return true;
        }
        return false;
    }

    /**
     * Writes the next piece of a streamed client message to the backend, after its head; dropped when the head was
     * (see {@link ServerConnection#writeRest}). It changes nothing that is counted: the head was counted.
     */
    void sendRest(MessageContinuation rest) {
        if (server == null) {
            rest.release();
            return;
        }
        server.writeRest(rest);
        serverNeedsFlush = true;
    }

    /**
     * Hands the next piece of a streamed backend message to the client. Its head went to the client too: the streamed
     * types (DataRow, CopyData, FunctionCallResponse) never end a step of the statement router's plan, so they are
     * always relayed, never swallowed or replaced.
     */
    void deliverRest(MessageContinuation rest) {
        toClient(rest.content());
    }

    /** Hands a backend frame to the client. @return true when a ReadyForQuery reached it and nothing is owed */
    boolean deliver(ByteBuf frame, byte type) {
        if (statements != null) {
            statements.observe(frame, type, server);
        }
        return queue.onServerFrame(frame, type);
    }

    /** Flushes what was written to the backend during this read, and what pgmux answered the client itself. */
    void flush() {
        if (serverNeedsFlush && server != null) {
            serverNeedsFlush = false;
            server.flush();
        }
        if (clientNeedsFlush) {
            clientNeedsFlush = false;
            client.flush();
        }
    }

    /** A request is running on the backend. */
    boolean busy() {
        return queue.busy();
    }

    /** Part of a request has reached the backend: there is no clean point to answer the client in between. */
    boolean midRequest() {
        return queue.midRequest();
    }

    /**
     * Everything sent has been answered and no batch or message is half sent: the backend may be given back. (A
     * client message cut off in the middle leaves PostgreSQL waiting for its rest, which no one else may send.)
     */
    boolean idle() {
        return queue.mayGiveBack() && (server == null || !server.midMessage());
    }

    @Override
    public void write(ByteBuf message) {
        if (listens != null) {
            message = listens.restore(message);
            Future<Void> gate = listens.clientBound(message);
            if (gate != null) {
                if (held == null) {
                    held = new ArrayDeque<>();
                }
                gates++;
                gate.addListener(f -> client.executor().execute(this::letHeldGo));
            }
        }
        toClient(message);
        clientWrites++;
    }

    private void toClient(ByteBuf message) {
        if (held != null) {
            held.add(message);
        } else {
            client.write(message, client.voidPromise());
        }
    }

    /** The hub LISTENs (or gave up): what was held back goes to the client, in order. */
    private void letHeldGo() {
        if (--gates > 0) {
            return;
        }
        ArrayDeque<ByteBuf> messages = held;
        held = null;
        for (ByteBuf message : messages) {
            client.write(message, client.voidPromise()); // a closed channel releases it
        }
        client.flush();
    }

    @Override
    public TransactionStatus transactionStatus() {
        if (server != null) {
            return server.transactionStatus();
        }
        return abandoned() != null ? TransactionStatus.FAILED : TransactionStatus.IDLE;
    }
}
