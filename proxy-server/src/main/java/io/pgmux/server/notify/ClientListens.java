// A client's LISTEN and UNLISTEN under pool.listen: fan-out, answered by pgmux instead of a pinned backend.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.pool.Pool;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BindHeader;
import io.pgmux.protocol.Close;
import io.pgmux.protocol.Describe;
import io.pgmux.protocol.Execute;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.server.requests.RequestQueue;
import io.pgmux.server.sql.SqlLexer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers one client's LISTEN, UNLISTEN and UNLISTEN * itself, with what PostgreSQL would send, so that listening
 * does not pin a backend: a simple Query made only of such statements (one CommandComplete each, then
 * ReadyForQuery), and in the extended protocol a Parse of one such statement with the Bind, Describe and Execute of
 * it (ParseComplete, BindComplete, ParameterDescription or NoData, CommandComplete). The answers take their place in
 * the client's {@link RequestQueue}; {@link ListenTransaction} applies them when the client's transaction commits,
 * and the client's {@link NotificationInbox} receives the notifications of the channels it then listens on.
 *
 * <p>What goes to PostgreSQL instead, as UNLISTEN, and is followed by {@link RelayedListens}: a Query that mixes
 * LISTEN with other statements, a Query that arrives while earlier requests of the client are still unanswered
 * (pgmux could not know whether it would run in a failed transaction), a LISTEN prepared under a name. Texts are
 * read with the client's settings ({@link ClientText}); only one pgmux cannot read exactly goes as written and pins.
 * While the client has an uncommitted LISTEN or UNLISTEN, its savepoint statements are reported to
 * {@link Subtransactions}.
 *
 * <p>Before a LISTEN of a channel the client has no interest in yet is answered, the hub must LISTEN on it
 * ({@link #mustWait}, {@link #await}), so that every notification committed after the client's LISTEN reaches it.
 *
 * <p>Confined to the client's event loop.
 */
public final class ClientListens {
    /** What became of a client message. */
    public enum Outcome {
        /** Not answered here: it goes on as usual (the frame is still the caller's). */
        PASS,
        /** Answered (the frame was taken); no ReadyForQuery was among the answers. */
        ANSWERED,
        /** Answered, and a ReadyForQuery reached the client with nothing more owed. */
        ANSWERED_READY
    }

    private final ChannelHandlerContext ctx;
    private final NotifyHub hub;
    private final NotificationInbox inbox;
    private final ListenTransaction transaction;
    /** How PostgreSQL reads the client's text now: its encoding and standard_conforming_strings. */
    private final Supplier<ClientText> text;
    /** Made on first use: most clients never relay a LISTEN. */
    private RelayedListens relayed;
    /** Channels this client registered with the hub: listened on, or waiting for its transaction. */
    private Set<String> interested = Collections.emptySet();
    /** Channels whose subscription the hub has not confirmed yet, with its future. */
    private Map<String, Future<Void>> subscribing = Collections.emptyMap();
    /** Held back from the client until the hub LISTENs on what its last transaction committed to; or null. */
    private Promise<Void> commitGate;
    /** Channels the hub could not LISTEN on, with the error the client's LISTEN is answered with. */
    private Map<String, PgException> refused = Collections.emptyMap();
    /** The unnamed prepared statement, when it is a LISTEN or UNLISTEN pgmux answered the Parse of. */
    private ListenAction unnamedStatement;
    /** The portal bound to {@link #unnamedStatement}, and its name. */
    private ListenAction portal;
    private String portalName;
    /** While messages queue for a batch answered without a backend: its last unnamed Parse is a LISTEN. */
    private boolean batchParsedListen;

    // interested, subscribing and refused start as the shared empty collections (whose remove, clear and removeIf
    // do nothing) and become real ones at their first entry: every client in fan-out mode has this object, few
    // ever LISTEN, and an idle client's memory is what a storm of them costs.

    /** Adds {@code channel} to {@link #interested}; false if it was there. */
    private boolean interest(String channel) {
        if (interested.isEmpty()) {
            interested = new HashSet<>();
        }
        return interested.add(channel);
    }

    private Map<String, Future<Void>> subscriptions() {
        if (subscribing.isEmpty()) {
            subscribing = new HashMap<>();
        }
        return subscribing;
    }

    private Map<String, PgException> refusals() {
        if (refused.isEmpty()) {
            refused = new HashMap<>();
        }
        return refused;
    }

    private ClientListens(ChannelHandlerContext ctx, NotifyHub hub, int limit, BooleanSupplier idle,
                          Consumer<PgException> overflow, NotifyFigures figures, Supplier<ClientText> text) {
        this.ctx = ctx;
        this.hub = hub;
        this.text = text;
        this.inbox = new NotificationInbox(ctx, limit, idle, overflow, figures, text);
        this.transaction = new ListenTransaction(inbox, this::dropUnneededInterest);
    }

    /**
     * Fan-out for one client of {@code pool}.
     *
     * @param limit    pool.max_queued_notifications
     * @param idle     whether the client may be sent a notification now (outside a transaction, nothing in flight)
     * @param overflow ends the client's connection with the error given
     * @param text     the client's settings that decide how its text is read, as last reported
     */
    public static ClientListens open(NotifyHubs hubs, Pool pool, ChannelHandlerContext ctx, int limit,
                                     BooleanSupplier idle, Consumer<PgException> overflow,
                                     Supplier<ClientText> text) {
        return new ClientListens(ctx, hubs.hub(pool, ctx.channel().eventLoop()), limit, idle, overflow,
                hubs.figures(), text);
    }

    /**
     * Whether {@code frame} is a LISTEN of a channel the hub must subscribe to before pgmux answers it. A client that
     * holds a backend never waits (it would wait for the pool while holding part of it): its LISTEN, inside a
     * transaction, takes effect only at COMMIT, and the hub is subscribed in the meantime ({@link #answerTag}).
     */
    public boolean mustWait(ByteBuf frame, byte type, boolean holdsServer) {
        if (holdsServer) {
            return false;
        }
        List<ListenAction> actions = actions(frame, type, true);
        if (actions == null) {
            return false;
        }
        for (ListenAction action : actions) {
            if (action.listens() && !interested.contains(action.channel())
                    && !refused.containsKey(action.channel())) {
                return true;
            }
        }
        return false;
    }

    /** Subscribes the hub to the channels {@code frame} LISTENs on; runs {@code resume} on this loop when done. */
    public void await(ByteBuf frame, byte type, Runnable resume) {
        List<ListenAction> actions = actions(frame, type, true);
        int[] remaining = {0};
        for (ListenAction action : actions) {
            String channel = action.channel();
            if (!action.listens() || interested.contains(channel) || refused.containsKey(channel)) {
                continue;
            }
            interest(channel);
            remaining[0]++;
            subscribe(channel).addListener((Future<Void> f) -> ctx.executor().execute(() -> {
                if (!f.isSuccess() && !subscribing.containsKey(channel) && interested.contains(channel)) {
                    interested.remove(channel);
                    hub.unsubscribe(channel, inbox);
                    refusals().put(channel, f.cause() instanceof PgException e ? e
                            : new PgException(Severity.ERROR, "08006", String.valueOf(f.cause().getMessage())));
                }
                if (--remaining[0] == 0) {
                    resume.run();
                }
            }));
        }
        if (remaining[0] == 0) {
            resume.run();
        }
    }

    /**
     * Answers {@code frame} if it is a LISTEN or UNLISTEN pgmux answers, in its turn in {@code queue}.
     *
     * @param status the transaction status the client is in, exact only when {@code quiet}
     * @param quiet  nothing of the client's is in flight: no request unanswered, no batch or copy open
     */
    public Outcome answer(ByteBuf frame, byte type, RequestQueue queue, TransactionStatus status, boolean quiet) {
        if (Frames.isPartial(frame)) {
            return Outcome.PASS;
        }
        return switch (type) {
            case FrontendType.QUERY -> query(frame, queue, status, quiet);
            case FrontendType.PARSE -> parse(frame, queue, status, quiet);
            case FrontendType.BIND -> bind(frame, queue);
            case FrontendType.DESCRIBE -> describe(frame, queue);
            case FrontendType.EXECUTE -> execute(frame, queue);
            case FrontendType.CLOSE -> close(frame);
            default -> Outcome.PASS;
        };
    }

    /** Whether a message queued while the client holds no backend could be answered here, without one. */
    public boolean answersWithoutServer(ByteBuf frame, byte type) {
        return switch (type) {
            case FrontendType.QUERY -> actions(frame, type, true) != null;
            case FrontendType.PARSE -> batchParsedListen = actions(frame, type, true) != null;
            // Only what follows a LISTEN's Parse; the exact check is made when it is answered.
            case FrontendType.BIND, FrontendType.DESCRIBE -> batchParsedListen || unnamedStatement != null;
            case FrontendType.EXECUTE -> batchParsedListen || unnamedStatement != null || portal != null;
            default -> false;
        };
    }

    private Outcome query(ByteBuf frame, RequestQueue queue, TransactionStatus status, boolean quiet) {
        // A Query drops the unnamed statement and portal, whoever answers it.
        unnamedStatement = null;
        portal = null;
        List<ListenAction> actions = quiet ? actions(frame, FrontendType.QUERY, true) : null;
        if (actions == null) {
            return Outcome.PASS;
        }
        frame.release();
        noticeTruncations(queue, actions); // PostgreSQL lexes the whole Query before it runs any of it
        PgException error = refusal(actions, status);
        if (error != null) {
            return ready(queue.refuse(BackendMessages.errorResponse(ctx.alloc(), error), FrontendType.QUERY));
        }
        for (ListenAction action : actions) {
            answerTag(queue, action);
        }
        return ready(queue.answerSync());
    }

    private Outcome parse(ByteBuf frame, RequestQueue queue, TransactionStatus status, boolean quiet) {
        if (frame.getByte(Frames.bodyStart(frame)) != 0) {
            return Outcome.PASS; // a named statement: PostgreSQL prepares it
        }
        List<ListenAction> actions = actions(frame, FrontendType.PARSE, quiet);
        if (actions == null) {
            unnamedStatement = null; // the client's next unnamed statement is PostgreSQL's
            return Outcome.PASS;
        }
        frame.release();
        noticeTruncations(queue, actions);
        PgException error = refusal(actions, quiet ? status : TransactionStatus.IN_TRANSACTION);
        if (error != null) {
            unnamedStatement = null;
            queue.refuse(BackendMessages.errorResponse(ctx.alloc(), error), FrontendType.PARSE);
            return Outcome.ANSWERED;
        }
        ListenAction previous = unnamedStatement;
        unnamedStatement = actions.get(0);
        queue.answer(BackendMessages.parseComplete(), () -> unnamedStatement = previous);
        return Outcome.ANSWERED;
    }

    private Outcome bind(ByteBuf frame, RequestQueue queue) {
        if (unnamedStatement == null && portal == null) {
            return Outcome.PASS;
        }
        BindHeader bind = BindHeader.decode(frame);
        if (!bind.statementName().isEmpty() || unnamedStatement == null) {
            if (bind.portalName().equals(portalName)) {
                portal = null; // the portal is PostgreSQL's now
            }
            return Outcome.PASS;
        }
        frame.release();
        portal = unnamedStatement;
        portalName = bind.portalName();
        queue.answer(BackendMessages.bindComplete(), () -> portal = null);
        return Outcome.ANSWERED;
    }

    private Outcome describe(ByteBuf frame, RequestQueue queue) {
        if (unnamedStatement == null && portal == null) {
            return Outcome.PASS;
        }
        Describe describe = Describe.decode(frame);
        if (describe.kind() == Describe.STATEMENT && describe.name().isEmpty() && unnamedStatement != null) {
            frame.release();
            queue.answer(BackendMessages.noParameters(), null);
            queue.answer(BackendMessages.noData(), null);
            return Outcome.ANSWERED;
        }
        if (describe.kind() == Describe.PORTAL && portal != null && describe.name().equals(portalName)) {
            frame.release();
            queue.answer(BackendMessages.noData(), null);
            return Outcome.ANSWERED;
        }
        return Outcome.PASS;
    }

    private Outcome execute(ByteBuf frame, RequestQueue queue) {
        if (portal == null || !Execute.decode(frame).portalName().equals(portalName)) {
            return Outcome.PASS;
        }
        frame.release();
        answerTag(queue, portal);
        return Outcome.ANSWERED;
    }

    private Outcome close(ByteBuf frame) {
        if (unnamedStatement != null || portal != null) {
            Close close = Close.decode(frame);
            if (close.kind() == Close.STATEMENT && close.name().isEmpty()) {
                unnamedStatement = null;
            } else if (close.kind() == Close.PORTAL && close.name().equals(portalName)) {
                portal = null;
            }
        }
        return Outcome.PASS; // PostgreSQL (or the statement router) answers the Close as usual
    }

    /** Asks the hub to LISTEN on {@code channel}; the future is {@link #subscribing} until it completes. */
    private Future<Void> subscribe(String channel) {
        Future<Void> subscription = hub.subscribe(channel, inbox);
        subscriptions().put(channel, subscription);
        subscription.addListener(f -> ctx.executor().execute(() -> subscribing.remove(channel, subscription)));
        return subscription;
    }

    private void subscriptionFailed(String channel, Throwable cause) {
        // The failure of a subscription given up and made again since (ROLLBACK, LISTEN) leaves the new one be.
        if (!subscribing.containsKey(channel) && interested.remove(channel)) {
            hub.unsubscribe(channel, inbox);
            inbox.warn("pgmux: LISTEN " + channel + " could not be served, no notifications of it will arrive: "
                    + cause.getMessage());
        }
    }

    /**
     * A Query going on to PostgreSQL that pgmux did not answer ({@link #answer} passed it): its LISTENs, if any, are
     * sent as UNLISTEN and followed by {@link RelayedListens}, so that they need no pin.
     *
     * @param readiesBefore the ReadyForQuery messages the client is owed before this Query's
     * @param quiet         nothing of the client's is in flight, which could change how the text is read
     * @return the frame to send: {@code frame}, or its rewrite (then {@code frame} was released)
     */
    public ByteBuf relay(ByteBuf frame, int readiesBefore, boolean quiet) {
        byte type = Frames.type(frame);
        Subtransactions savepoints = transaction.subtransactions();
        if (type == FrontendType.BIND) {
            boolean listens = relayed != null && !relayed.prepared().isEmpty();
            if (listens || !savepoints.prepared().isEmpty()) {
                BindHeader bind = BindHeader.decode(frame);
                if (listens) {
                    relayed.prepared().bound(bind.portalName(), bind.statementName());
                }
                savepoints.prepared().bound(bind.portalName(), bind.statementName());
            }
            return frame;
        }
        if (type == FrontendType.EXECUTE) {
            boolean listens = relayed != null && relayed.prepared().hasPortals();
            if (listens || savepoints.prepared().hasPortals()) {
                String portal = Execute.decode(frame).portalName();
                ListenAction action = listens ? relayed.prepared().executes(portal) : null;
                if (action != null) {
                    subscribeUnawaited(action);
                    relayed.sent(List.of(action), readiesBefore);
                }
                Subtransactions.Op op = savepoints.prepared().executes(portal);
                if (op != null && following()) {
                    savepoints.sent(List.of(op), readiesBefore);
                }
            }
            return frame;
        }
        if (type == FrontendType.CLOSE) {
            if (relayed != null && !relayed.prepared().isEmpty()
                    || !savepoints.prepared().isEmpty()) {
                Close close = Close.decode(frame);
                if (relayed != null) {
                    relayed.prepared().closed(close.kind() == Close.STATEMENT, close.name());
                }
                savepoints.prepared().closed(close.kind() == Close.STATEMENT, close.name());
            }
            return frame;
        }
        if (type != FrontendType.QUERY || Frames.isPartial(frame)) {
            return frame;
        }
        int start = Frames.bodyStart(frame);
        int end = start + Frames.bodyLength(frame) - 1; // before the terminating NUL
        boolean mayListen = ListenStatements.mayContainListen(frame, start, end);
        boolean following = following() && SavepointWords.mayContain(frame, start, end);
        if (!mayListen && !following) {
            return frame;
        }
        ClientText reading = settings(quiet);
        String sql = reading.decode(frame, start, end);
        ListenStatements.Relayed rewrite = sql == null || !mayListen ? null
                : ListenStatements.relayable(sql, reading);
        if (sql != null && (following || rewrite != null)) {
            SqlLexer.Reading lexing = reading.reading(sql);
            savepoints.sent(Subtransactions.ops(sql, lexing == null ? SqlLexer.Reading.STANDARD : lexing),
                    readiesBefore);
        }
        if (rewrite == null) {
            return frame;
        }
        for (ListenAction action : rewrite.actions()) {
            subscribeUnawaited(action);
        }
        relayed().sent(rewrite.actions(), readiesBefore);
        return ListenStatements.unlistening(ctx.alloc(), frame, start, rewrite.listenAt());
    }

    /** Whether the client has a LISTEN or UNLISTEN that a ROLLBACK TO SAVEPOINT could still undo. */
    private boolean following() {
        return transaction.pending() || relayed != null && relayed.hasRequests();
    }

    /** The client's settings, or with {@code quiet} false those an unanswered request may change made unknown. */
    private ClientText settings(boolean quiet) {
        ClientText current = text.get();
        return quiet ? current : current.unsettled();
    }

    /** PostgreSQL's NOTICE for each channel name it truncates, in the client's encoding. */
    private void noticeTruncations(RequestQueue queue, List<ListenAction> actions) {
        ClientText settings = null;
        for (ListenAction action : actions) {
            if (action.truncated() != null && (settings = settings == null ? text.get() : settings).notices()) {
                queue.answer(ListenNotices.truncated(ctx.alloc(), settings, action), null);
            }
        }
    }

    /**
     * A Parse as the client sent it, before anything else sees it: a statement prepared under a name whose text is
     * one LISTEN is prepared as UNLISTEN, and its Executes are followed like a relayed Query's (see {@link
     * RelayedListens}). Unnamed ones are {@link #answer}ed by pgmux.
     *
     * @param quiet nothing of the client's is in flight, which could change how the text is read
     * @return the frame to go on with: {@code frame}, or its rewrite (then {@code frame} was released)
     */
    public ByteBuf prepare(ByteBuf frame, boolean quiet) {
        int start = Frames.bodyStart(frame);
        int end = start + Frames.bodyLength(frame);
        int nameEnd = frame.indexOf(start, end, (byte) 0);
        transaction.subtransactions().preparing(frame, start, nameEnd, end, text);
        if (nameEnd <= start) {
            return frame; // unnamed (or malformed, which the session refuses)
        }
        int textEnd = frame.indexOf(nameEnd + 1, end, (byte) 0);
        if (textEnd < 0 || !ListenStatements.mayBeListen(frame, nameEnd + 1, textEnd)) {
            if (relayed != null && relayed.prepared().hasStatements()) {
                relayed.prepared().prepared(frame.toString(start, nameEnd - start, StandardCharsets.UTF_8), null);
            }
            return frame;
        }
        ClientText reading = settings(quiet);
        String sql = reading.decode(frame, nameEnd + 1, textEnd);
        List<ListenAction> actions = sql == null ? null : ListenStatements.parse(sql, reading);
        ListenStatements.Relayed rewrite = actions == null || actions.size() != 1 ? null
                : ListenStatements.relayable(sql, reading);
        String name = frame.toString(start, nameEnd - start, StandardCharsets.UTF_8);
        if (rewrite != null || relayed != null) {
            relayed().prepared().prepared(name, rewrite == null ? null : actions.get(0));
        }
        if (rewrite == null) {
            return frame; // PostgreSQL prepares it as written, and it pins
        }
        return ListenStatements.unlistening(ctx.alloc(), frame, nameEnd + 1, rewrite.listenAt());
    }

    /**
     * A message about to be written to the client, as the client must see it: the CommandComplete of a relayed
     * LISTEN is given back its tag (and {@code message} released).
     */
    public ByteBuf restore(ByteBuf message) {
        if (transaction.isOwnAnswer(message)) {
            return message;
        }
        ListenAction action = relayed == null ? null : relayed.answered(message);
        if (action == null) {
            return message;
        }
        transaction.joined(action);
        if (!action.listens()) {
            return message;
        }
        message.release();
        return BackendMessages.commandComplete(ctx.alloc(), action.tag());
    }

    /** The backend went away under the client's requests: what it owed will not come. */
    public void serverLost() {
        if (relayed != null) {
            relayed.clear();
        }
        transaction.subtransactions().clear();
    }

    private RelayedListens relayed() {
        if (relayed == null) {
            relayed = new RelayedListens();
        }
        return relayed;
    }

    /** The CommandComplete of a LISTEN or UNLISTEN, whose delivery makes the action part of the transaction. */
    private void answerTag(RequestQueue queue, ListenAction action) {
        subscribeUnawaited(action);
        ByteBuf tag = BackendMessages.commandComplete(ctx.alloc(), action.tag());
        ListenTransaction.Answered entry = transaction.answering(tag, action);
        queue.answer(tag, () -> transaction.skipped(entry));
    }

    /** The hub's subscription for a LISTEN answered before the hub confirmed it (see {@link #mustWait}). */
    private void subscribeUnawaited(ListenAction action) {
        String channel = action.channel();
        if (action.listens() && interest(channel)) {
            // Not awaited (see mustWait): should the hub fail, the client is warned instead of refused. The COMMIT
            // that makes it count waits for it instead (see clientBound).
            Future<Void> subscription = subscribe(channel);
            subscription.addListener((Future<Void> f) -> {
                if (!f.isSuccess()) {
                    ctx.executor().execute(() -> subscriptionFailed(channel, f.cause()));
                }
            });
        }
    }

    /** The error PostgreSQL would answer instead, or null. */
    private PgException refusal(List<ListenAction> actions, TransactionStatus status) {
        if (status == TransactionStatus.FAILED) {
            return new PgException(Severity.ERROR, "25P02",
                    "current transaction is aborted, commands ignored until end of transaction block");
        }
        for (ListenAction action : actions) {
            PgException error = action.listens() ? refused.remove(action.channel()) : null;
            if (error != null) {
                return new PgException(Severity.ERROR, error.sqlState(), error.getMessage());
            }
        }
        return null;
    }

    private Outcome ready(boolean readyAndIdle) {
        return readyAndIdle ? Outcome.ANSWERED_READY : Outcome.ANSWERED;
    }

    /**
     * The LISTEN and UNLISTEN statements of a Query or unnamed Parse, or null when it is anything else.
     *
     * @param quiet nothing of the client's is in flight, so the settings known are those the text is read with
     */
    private List<ListenAction> actions(ByteBuf frame, byte type, boolean quiet) {
        int start = Frames.bodyStart(frame);
        int end = start + Frames.bodyLength(frame);
        if (type == FrontendType.QUERY) {
            if (!ListenStatements.mayBeListen(frame, start, end - 1)) {
                return null;
            }
            ClientText reading = settings(quiet);
            String sql = reading.decode(frame, start, end - 1);
            return sql == null ? null : ListenStatements.parse(sql, reading);
        }
        if (type != FrontendType.PARSE || frame.getByte(start) != 0) {
            return null;
        }
        int textEnd = frame.indexOf(start + 1, end, (byte) 0);
        if (textEnd < 0 || !ListenStatements.mayBeListen(frame, start + 1, textEnd)) {
            return null;
        }
        ClientText reading = settings(quiet);
        String sql = reading.decode(frame, start + 1, textEnd);
        List<ListenAction> actions = sql == null ? null : ListenStatements.parse(sql, reading);
        return actions != null && actions.size() == 1 ? actions : null;
    }

    /**
     * Every message written to the client passes here first, in order (see {@link ListenTransaction}).
     *
     * @return null, or a future that {@code message} and everything written to the client after it must wait for:
     *         it commits a LISTEN whose channel the hub does not LISTEN on yet. PostgreSQL's COMMIT returns only
     *         once the LISTEN is in force, so a NOTIFY the client makes happen after its COMMIT must reach it. The
     *         client holds no backend while it waits (the backend is given back on the same ReadyForQuery), and
     *         a hub that fails lets it go on with a warning (see {@link #subscriptionFailed}).
     */
    public Future<Void> clientBound(ByteBuf message) {
        List<ListenAction> committed = transaction.clientBound(message);
        if (committed.isEmpty()) {
            return null;
        }
        int[] remaining = {1};
        Promise<Void> gate = ctx.executor().newPromise();
        Runnable countDown = () -> {
            if (--remaining[0] == 0) {
                gate.trySuccess(null);
            }
        };
        for (ListenAction action : committed) {
            Future<Void> subscription = action.listens() ? subscribing.get(action.channel()) : null;
            if (subscription != null && !subscription.isDone()) {
                remaining[0]++;
                subscription.addListener(f -> ctx.executor().execute(countDown));
            }
        }
        countDown.run();
        if (gate.isDone()) {
            return null;
        }
        commitGate = gate;
        gate.addListener(f -> commitGate = null);
        return gate;
    }

    /** Writes the notifications held for the client if it is idle now. */
    public void deliverIfIdle() {
        inbox.deliverIfIdle();
    }

    /** The client left: its interest in every channel ends. */
    public void close() {
        if (commitGate != null) {
            commitGate.trySuccess(null); // what is held back is let go (and released by the closed channel)
        }
        inbox.close();
        for (String channel : interested) {
            hub.unsubscribe(channel, inbox);
        }
        interested.clear();
    }

    /** After a commit or rollback: channels neither listened on nor awaiting a transaction are given up. */
    private void dropUnneededInterest() {
        Set<String> needed = new HashSet<>(inbox.listening());
        transaction.pendingListens(needed);
        if (relayed != null) {
            relayed.pendingListens(needed); // a ROLLBACK TO before them in the same Query must not drop them
        }
        interested.removeIf(channel -> {
            if (needed.contains(channel)) {
                return false;
            }
            hub.unsubscribe(channel, inbox);
            return true;
        });
    }
}
