// Makes a client's named prepared statements work on whichever server connection it is lent.
package io.pgmux.server.statements;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.StatementCounters;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Close;
import io.pgmux.protocol.Describe;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.Parse;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.StatementReference;
import io.pgmux.server.requests.RequestQueue;
import io.pgmux.server.requests.Undo;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Relays one client's messages to the server connections it is lent under transaction or statement pooling, so
 * that its protocol-level named prepared statements work on every one of them without pinning.
 *
 * <ul>
 * <li>A named Parse is remembered (client name to {@link TrackedStatement}) and sent under the statement's
 * server-side name; if the server has that statement already (another client prepared the same SQL), pgmux
 * answers ParseComplete itself.</li>
 * <li>A Bind or Describe of a named statement is renamed; if the server lacks the statement, a Parse is sent
 * first and its ParseComplete swallowed.</li>
 * <li>A Close of a named statement forgets it for this client only (other clients may share it on the server);
 * pgmux answers CloseComplete.</li>
 * <li>Each server keeps at most {@code capacity} such statements; the least recently used is closed.</li>
 * </ul>
 * The client's {@link RequestQueue} keeps every answer in the order PostgreSQL itself would give it.
 *
 * <p>Only Parse, Bind, Describe and Close pass through here; the client link relays every other message itself.
 * Confined to the client's event loop. Each method takes ownership of the frame it is given.
 */
public final class StatementRouter {
    /** CommandComplete tags of the statements that drop every prepared statement. */
    private static final ByteBuf DISCARD_ALL = tag("DISCARD ALL");
    private static final ByteBuf DEALLOCATE_ALL = tag("DEALLOCATE ALL");

    private final int capacity;
    private final StatementCounters counters;
    private final ByteBufAllocator alloc;
    private final RequestQueue queue;
    /**
     * The client's named statements: the shared empty map (whose remove and clear do nothing) until the first, as
     * most clients never prepare one by name and an idle client's memory is what a storm of them costs.
     */
    private Map<String, TrackedStatement> statements = Collections.emptyMap();
    /** The name of the last statement bound, so the usual Bind (the same statement again) decodes no string. */
    private String lastName;
    private byte[] lastNameBytes;

    /**
     * @param capacity prepared statements per server connection (max_prepared_statements), at least 1
     * @param queue    the client's requests, in order: what it is owed for each message sent or answered here
     */
    public StatementRouter(int capacity, StatementCounters counters, ByteBufAllocator alloc, RequestQueue queue) {
        this.capacity = capacity;
        this.counters = counters;
        this.alloc = alloc;
        this.queue = queue;
    }

    /** Whether {@link #send} takes messages of this type; the others are relayed unchanged. */
    public static boolean routes(byte type) {
        return type == FrontendType.PARSE || type == FrontendType.BIND || type == FrontendType.DESCRIBE
                || type == FrontendType.CLOSE;
    }

    /**
     * Sends a Parse, Bind, Describe or Close ({@link #routes}) to {@code server}, renamed or answered as needed.
     * Malformed: ProtocolException.
     *
     * @return null, or the error PostgreSQL would answer the message with where the server cannot (a second Parse
     *         of a name); the frame is then released, and the caller answers the error in the message's place
     */
    public PgException send(ByteBuf frame, ServerConnection server) {
        try {
            return switch (Frames.type(frame)) {
                case FrontendType.PARSE -> parse(frame, server);
                case FrontendType.BIND -> bind(frame, server);
                case FrontendType.DESCRIBE -> describe(frame, server);
                case FrontendType.CLOSE -> close(frame, server);
                default -> throw new IllegalArgumentException("not a routed message: " + Frames.type(frame));
            };
        } catch (RuntimeException e) {
            // Only decoding throws, and it comes before the frame is written or released.
            frame.release();
            throw e;
        }
    }

    /** Notes what a server frame of the connection this client holds does to prepared statements. */
    public void observe(ByteBuf frame, byte type, ServerConnection server) {
        if (type == BackendType.COMMAND_COMPLETE && dropsEveryStatement(frame)) {
            // DISCARD ALL or DEALLOCATE ALL ran: the server has no prepared statement left, nor has the client.
            statements.clear();
            server.statements().clear();
        }
    }

    private PgException parse(ByteBuf frame, ServerConnection server) {
        int nameLength = StatementReference.cStringLength(frame, Frames.bodyStart(frame), "Parse");
        if (nameLength == 0) {
            return relay(frame, server, RequestQueue.PARSE);
        }
        Parse parse = Parse.decode(frame);
        frame.release();
        String name = parse.statementName();
        if (statements.containsKey(name) || name.startsWith(TrackedStatement.PREFIX)) {
            // PostgreSQL's answer to a second Parse of one name; pgmux's own names are reserved the same way.
            return new PgException(Severity.ERROR, "42P05", "prepared statement \"" + name + "\" already exists");
        }
        TrackedStatement statement = TrackedStatement.of(parse);
        track(name, statement);
        Undo forget = () -> statements.remove(name, statement);
        if (server.statements().contains(statement.serverName())) {
            counters.hit();
            queue.answer(BackendMessages.parseComplete(), forget);
        } else {
            counters.miss();
            prepare(statement, server, RequestQueue.RELAY, forget);
        }
        return null;
    }

    private PgException bind(ByteBuf frame, ServerConnection server) {
        int nameIndex = StatementReference.bindNameIndex(frame);
        return rename(frame, server, nameIndex, RequestQueue.BIND);
    }

    private PgException describe(ByteBuf frame, ServerConnection server) {
        int nameIndex = StatementReference.describeNameIndex(frame);
        if (frame.getByte(Frames.bodyStart(frame)) != Describe.STATEMENT) {
            return relay(frame, server, RequestQueue.DESCRIBE); // a portal: portals live and die with the transaction
        }
        return rename(frame, server, nameIndex, RequestQueue.DESCRIBE);
    }

    /** Bind or Describe of a statement: the client's name becomes the server's, prepared there first if needed. */
    private PgException rename(ByteBuf frame, ServerConnection server, int nameIndex, byte kind) {
        int nameLength = StatementReference.cStringLength(frame, nameIndex, "Bind or Describe");
        if (nameLength == 0) {
            return relay(frame, server, kind); // the unnamed statement is the client's own and lives on this server
        }
        TrackedStatement statement = lookup(frame, nameIndex, nameLength);
        if (statement == null) {
            return unknown(frame, server, kind, StatementReference.text(frame, nameIndex, nameLength));
        }
        if (server.statements().contains(statement.serverName())) {
            counters.hit();
        } else {
            counters.miss();
            prepare(statement, server, RequestQueue.SWALLOW, null);
        }
        ByteBuf renamed = StatementReference.rename(alloc, frame, nameIndex, nameLength, statement.serverNameBytes());
        frame.release();
        server.write(renamed);
        queue.expect(kind);
        return null;
    }

    /** The client's statement named by the {@code length} bytes at {@code index}, or null. */
    private TrackedStatement lookup(ByteBuf frame, int index, int length) {
        if (lastNameBytes != null && lastNameBytes.length == length && sameBytes(frame, index, lastNameBytes)) {
            return statements.get(lastName); // the map stays the truth: the name may have been closed since
        }
        String name = StatementReference.text(frame, index, length);
        TrackedStatement statement = statements.get(name);
        if (statement != null) {
            lastName = name;
            lastNameBytes = name.getBytes(StandardCharsets.UTF_8);
        }
        return statement;
    }

    private static boolean sameBytes(ByteBuf frame, int index, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (frame.getByte(index + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** A name this client never prepared: the server says so itself, unless the name is one of pgmux's own. */
    private PgException unknown(ByteBuf frame, ServerConnection server, byte kind, String name) {
        if (!name.startsWith(TrackedStatement.PREFIX)) {
            return relay(frame, server, kind); // "prepared statement ... does not exist", worded by PostgreSQL
        }
        frame.release();
        return new PgException(Severity.ERROR, "26000", "prepared statement \"" + name + "\" does not exist");
    }

    /**
     * A named Parse sent while the client holds no server: remembered and answered at once; the statement is
     * prepared on the first server that a Bind or Describe of it reaches, as when a client moves between servers.
     * Without this, a client that prepares synchronously (libpq's PQprepare) would wait for a server while the same
     * program's other connections hold every server waiting for it, and the pool would deadlock. The price: an
     * error in the statement's text is reported at its first use rather than at the Parse.
     *
     * @return false, with the frame untouched, when the Parse needs a server (unnamed, or an error to report)
     */
    public boolean parseWithoutServer(ByteBuf frame) {
        if (StatementReference.cStringLength(frame, Frames.bodyStart(frame), "Parse") == 0) {
            return false; // the unnamed statement lives on the server it is parsed on
        }
        Parse parse = Parse.decode(frame);
        String name = parse.statementName();
        if (statements.containsKey(name) || name.startsWith(TrackedStatement.PREFIX)) {
            return false; // an error, answered in its place once a server holds the rest of the batch
        }
        frame.release();
        TrackedStatement statement = TrackedStatement.of(parse);
        track(name, statement);
        queue.answer(BackendMessages.parseComplete(), () -> statements.remove(name, statement));
        return true;
    }

    /**
     * A Close sent while the client holds no server: a named statement is forgotten as usual; a portal or the
     * unnamed statement cannot outlive the transaction or server it was made on, and PostgreSQL answers
     * CloseComplete for what does not exist. Either way no server is needed.
     */
    public void closeWithoutServer(ByteBuf frame) {
        Close close = Close.decode(frame);
        frame.release();
        if (close.kind() == Close.STATEMENT && !close.name().isEmpty()) {
            forget(close.name());
        } else {
            queue.answer(BackendMessages.closeComplete(), null);
        }
    }

    private PgException close(ByteBuf frame, ServerConnection server) {
        Close close = Close.decode(frame);
        if (close.kind() != Close.STATEMENT || close.name().isEmpty()) {
            return relay(frame, server, RequestQueue.CLOSE);
        }
        frame.release();
        forget(close.name());
        return null;
    }

    private void forget(String name) {
        TrackedStatement closed = statements.remove(name);
        // The server-side statement stays for other clients; PostgreSQL answers CloseComplete even for no statement.
        queue.answer(BackendMessages.closeComplete(), closed == null ? null : () -> {
            if (!statements.containsKey(name)) {
                track(name, closed);
            }
        });
    }

    private void track(String name, TrackedStatement statement) {
        if (statements.isEmpty()) {
            statements = new HashMap<>();
        }
        statements.put(name, statement);
    }

    /** Creates {@code statement} on {@code server}, closing the least recently used one if the server is full. */
    private void prepare(TrackedStatement statement, ServerConnection server, byte action, Undo undo) {
        String evicted = server.statements().add(statement.serverName(), capacity);
        if (evicted != null) {
            counters.evicted();
            server.write(FrontendMessages.close(alloc, Close.STATEMENT, evicted));
            queue.expect(RequestQueue.CLOSE, RequestQueue.SWALLOW, null,
                    () -> server.statements().add(evicted, Integer.MAX_VALUE));
        }
        server.write(statement.parseMessage(alloc));
        queue.expect(RequestQueue.PARSE, action, null, () -> {
            server.statements().remove(statement.serverName());
            if (undo != null) {
                undo.undo();
            }
        });
    }

    private PgException relay(ByteBuf frame, ServerConnection server, byte kind) {
        server.write(frame);
        queue.expect(kind);
        return null;
    }

    private static boolean dropsEveryStatement(ByteBuf frame) {
        int start = Frames.bodyStart(frame);
        int length = Frames.bodyLength(frame);
        return length > 0 && frame.getByte(start) == 'D' && (isTag(frame, start, length, DISCARD_ALL)
                || isTag(frame, start, length, DEALLOCATE_ALL));
    }

    private static boolean isTag(ByteBuf frame, int start, int length, ByteBuf tag) {
        return length == tag.readableBytes() && ByteBufUtil.equals(frame, start, tag, 0, length);
    }

    private static ByteBuf tag(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(text + "\0", StandardCharsets.US_ASCII)).asReadOnly();
    }
}
