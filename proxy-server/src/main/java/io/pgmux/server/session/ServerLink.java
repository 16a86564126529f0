package io.pgmux.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.StatementCounters;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.MessageContinuation;
import io.pgmux.server.statements.StatementRouter;

/**
 * A client's link to the backend it holds: writes the client's messages to it (through the {@link StatementRouter}
 * when named statements follow the client), counts what the backend has not answered yet, and hands the backend's
 * answers to the client in order. It decides nothing about pools or pinning: {@link ClientSession} asks it whether
 * the backend is {@link #idle()} before giving it back.
 *
 * <p>One per client, reused for every backend it is lent; confined to the client's event loop.
 */
final class ServerLink {
    private final ChannelHandlerContext client;
    /** Null in session mode or with max_prepared_statements 0: messages are relayed unchanged. */
    private final StatementRouter statements;
    private ServerConnection server;
    /** Query, Sync and FunctionCall messages sent and not yet answered by ReadyForQuery. */
    private int outstanding;
    /** Extended-protocol messages were sent since the last Sync: the batch must end on this backend. */
    private boolean extendedSinceSync;
    private boolean serverNeedsFlush;
    /** The statement router answered a client message itself while the client was being read. */
    private boolean clientNeedsFlush;

    /** @param maxStatements prepared statements per backend to route; 0 relays every message unchanged */
    ServerLink(ChannelHandlerContext client, int maxStatements, StatementCounters counters) {
        this.client = client;
        this.statements = maxStatements > 0
                ? new StatementRouter(maxStatements, counters, client.alloc(), this::answerClient) : null;
    }

    boolean routesStatements() {
        return statements != null;
    }

    /** The backend held, or null. */
    ServerConnection server() {
        return server;
    }

    void attach(ServerConnection s) {
        server = s;
        outstanding = 0;
        extendedSinceSync = false;
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
        outstanding = 0;
        if (statements != null) {
            statements.serverLost(); // releases answers still owed
        }
    }

    /**
     * Writes a client message to the backend (flushed by {@link #flush}).
     *
     * @return true when it starts a request while nothing was outstanding (the query clock starts)
     */
    boolean send(ByteBuf frame) {
        byte type = Frames.type(frame);
        boolean started = false;
        if (type == FrontendType.QUERY || type == FrontendType.SYNC || type == FrontendType.FUNCTION_CALL) {
            started = outstanding++ == 0;
            extendedSinceSync = false;
        } else if (type != FrontendType.COPY_DATA && type != FrontendType.COPY_DONE && type != FrontendType.COPY_FAIL) {
            extendedSinceSync = true; // Parse, Bind, Describe, Execute, Close, Flush: the batch ends with a Sync
        }
        if (statements != null) {
            statements.send(frame, server);
        } else {
            server.write(frame);
        }
        serverNeedsFlush = true;
        return started;
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
            return statements.parseWithoutServer(frame);
        }
        if (type == FrontendType.CLOSE) {
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
        client.write(rest.content(), client.voidPromise());
    }

    /** Hands a backend frame to the client. @return true when it was a ReadyForQuery that answered everything */
    boolean deliver(ByteBuf frame, byte type) {
        if (statements != null) {
            statements.onServerFrame(frame, type, server);
        } else {
            client.write(frame, client.voidPromise());
        }
        if (type == BackendType.READY_FOR_QUERY && --outstanding <= 0) {
            outstanding = 0;
            return true;
        }
        return false;
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
        return outstanding > 0;
    }

    /** Part of a request has reached the backend: there is no clean point to answer the client in between. */
    boolean midRequest() {
        return outstanding > 0 || extendedSinceSync;
    }

    /**
     * Everything sent has been answered and no batch or message is half sent: the backend may be given back. (A
     * client message cut off in the middle leaves PostgreSQL waiting for its rest, which no one else may send.)
     */
    boolean idle() {
        return outstanding == 0 && !extendedSinceSync && (statements == null || statements.idle())
                && (server == null || !server.midMessage());
    }

    private void answerClient(ByteBuf message) {
        client.write(message, client.voidPromise());
        clientNeedsFlush = true;
    }
}
