package io.pgmux.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.Future;
import io.pgmux.config.ListenMode;
import io.pgmux.config.PinningPolicy;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.PoolMode;
import io.pgmux.config.Timeouts;
import io.pgmux.pool.Admission;
import io.pgmux.pool.Pool;
import io.pgmux.pool.Route;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.ServerListener;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.FrontendMessageCheck;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.MessageContinuation;
import io.pgmux.protocol.OversizedMessage;
import io.pgmux.protocol.ParameterStatus;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.Query;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.server.admission.DeadlineStatements;
import io.pgmux.server.admission.PreparedDeadlines;
import io.pgmux.server.admission.Tenants;
import io.pgmux.server.admission.WaitDeadlines;
import io.pgmux.server.clients.ClientErrors;
import io.pgmux.server.clients.ClientKey;
import io.pgmux.server.clients.LoginTimer;
import io.pgmux.server.clients.OrdinaryDisconnect;
import io.pgmux.server.logging.ClientMdc;
import io.pgmux.server.metrics.ClientActivity;
import io.pgmux.server.metrics.SessionMetrics;
import io.pgmux.server.metrics.SessionTimer;
import io.pgmux.server.notify.ClientListens;
import io.pgmux.server.notify.ClientText;
import io.pgmux.server.pinning.PinGuard;
import io.pgmux.server.requests.Undo;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in client: relays its messages to the backend it holds and the backend's answers back, and decides
 * when the backend goes back to the pool (session mode: when the client leaves; transaction and statement mode:
 * at each ReadyForQuery that reports idle with nothing outstanding, unless session state pins it).
 *
 * <p>States: waiting for a backend ({@code handover != null}), holding one ({@code server != null}), or idle
 * between transactions (neither). Messages that arrive while no backend is held are queued in order and the
 * client is not read further until a backend is attached, which bounds the queue to one read batch. The pieces of a
 * streamed message ({@link MessageContinuation}) follow their head: into the queue, to the backend, or nowhere.
 *
 * <p>Threading: every field is confined to the client's event loop; the backend's frames are delivered here
 * through the {@link Route}, on this loop.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter implements ServerListener, ClientActivity {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final ProxyContext context;
    private final String user;
    private final String database;
    private final SessionParameters parameters;
    private final LoginTimer loginTimer;
    private final ClientKey key;
    private PoolMode mode;
    private PinningPolicy pinning;
    /** Session-state bookkeeping; created at login, used only outside session pooling. */
    private PinGuard guard;
    private Pool pool;
    /** The client's tenant and wait deadline, made at login; a SET of pgmux.wait_deadline replaces it. */
    private Admission admission = Admission.NONE;
    /** SET and RESET of pgmux.wait_deadline prepared in the extended protocol; made on the first one. */
    private PreparedDeadlines deadlines;
    private ChannelHandlerContext ctx;
    private Route route;
    /** How logs name this client: its pgmux process id, role, database and address. */
    private ClientLabel label;

    /** The backend held, if any, and what it owes the client; created at login. */
    private ServerLink link;
    /** Non-null from the acquire until the backend is attached, including the parameter sync in between. */
    private ServerHandover handover;
    /** Frames, and pieces of streamed messages, waiting for a backend. */
    private final ArrayDeque<ReferenceCounted> pending = new ArrayDeque<>(1); // small: every idle client keeps it
    private boolean welcomed;
    private boolean closed;
    /** The FATAL the held backend said goodbye with (a server shutting down), kept for when its socket closes. */
    private PgException serverFarewell;
    /** LISTEN answered by pgmux (pool.listen: fan-out, outside session pooling); null otherwise. */
    private ClientListens listens;
    /** A LISTEN waits for the pool's listening connection to subscribe: the client's messages queue meanwhile. */
    private boolean awaitingListener;

    private final SessionClock clock;
    /** The configuration {@link #userTimeouts} were worked out from; on this session's loop only. */
    private PgmuxConfig timeoutsSource;
    private Timeouts userTimeouts;
    /** Figures for the metrics endpoint; {@link SessionMetrics#NOOP} when it is off. */
    private SessionMetrics metrics = SessionMetrics.NOOP;
    private SessionTimer timer = new SessionTimer(SessionMetrics.NOOP);

    public ClientSession(ProxyContext context, String user, String database, SessionParameters parameters,
                  LoginTimer loginTimer) {
        this.context = context;
        this.user = user;
        this.database = database;
        this.parameters = parameters;
        this.loginTimer = loginTimer;
        this.key = context.clients().newKey();
        this.clock = new SessionClock();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.route = new Route(this, ctx.executor());
        this.label = new ClientLabel(key.processId(), user, database, ctx.channel());
        try {
            this.mode = context.config().poolMode(database, user);
            this.pinning = context.config().pinningPolicy(database, user);
            this.pool = context.pools().pool(database, user);
            this.admission = Tenants.admissionAtLogin(context.config().admission(), user, parameters.values(),
                    ctx.channel().remoteAddress());
            if (context.config().clientAddresses().applicationNameAddHost()) {
                ApplicationNameHost.apply(parameters, ctx.channel().remoteAddress());
            }
            this.metrics = context.sessionMetrics(database, user);
            this.timer = new SessionTimer(metrics);
        } catch (PgException e) {
            ClientErrors.sendAndClose(ctx, e);
            return;
        }
        this.link = new ServerLink(ctx, mode == PoolMode.SESSION ? 0 : context.config().pool().maxPreparedStatements(),
                pool.statementCounters());
        if (mode != PoolMode.SESSION && context.config().pool().listen() == ListenMode.FAN_OUT) {
            listens = ClientListens.open(context.notifyHubs(), pool, ctx,
                    context.config().pool().maxQueuedNotifications(), this::readyForNotifications, this::fail,
                    this::clientText);
            link.watch(listens);
        }
        context.clients().register(key, this::cancelRunningQuery);
        context.sweeper().register(this, ctx.executor());
        Map<String, String> defaults = pool.loginParameters();
        if (defaults != null) {
            // The pool knows what its backends report: finish the login at once, as PgBouncer does, and apply the
            // client's parameters when it is given a backend. Under a storm, logins then never queue behind
            // transactions for a backend.
            welcome(LoginCompletion.reportedValues(defaults, parameters.values()), defaults);
        } else {
            acquireServer(); // the pool's first client: log in through a real backend to learn its parameters
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MessageContinuation rest) {
            forwardRest(rest);
            return;
        }
        if (msg instanceof OversizedMessage oversized) {
            refuseOversized(oversized);
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        if (closed) {
            frame.release();
            return;
        }
        try {
            FrontendMessageCheck.check(frame);
        } catch (ProtocolException malformed) {
            frame.release();
            protocolViolation(malformed);
            return;
        }
        byte type = Frames.type(frame);
        if (type == FrontendType.TERMINATE) {
            frame.release();
            ctx.close();
            return;
        }
        timer.requestArrived();
        if (listens != null && type == FrontendType.PARSE) {
            frame = listens.prepare(frame, pending.isEmpty() && handover == null && !link.midRequest());
        }
        dispatch(frame, type);
    }

    /** A checked client message goes where the client's state says: dropped, queued, answered or forwarded. */
    private void dispatch(ByteBuf frame, byte type) {
        if (awaitingListener) {
            pending.add(frame); // behind the LISTEN that waits
        } else if (link.requests().skipping()) {
            frame.release(); // like PostgreSQL after an error: the rest of the batch is ignored, its Sync answered
            answeredLocally(link.requests().skip(type));
        } else if (link.server() == null && link.abandoned() != null) {
            answeredLocally(link.abandoned().answer(frame, type, link.requests())); // until it ends the transaction
        } else if (type == FrontendType.QUERY && answeredDeadline(frame)) {
            return; // SET or RESET pgmux.wait_deadline, answered by pgmux
        } else if (listens != null && listens.mustWait(frame, type, link.server() != null)) {
            awaitListener(frame, type);
        } else if (link.server() == null) {
            pending.add(frame);
            if (handover == null && mayAnswerWithoutServer(frame, type)) {
                if (type == FrontendType.SYNC || type == FrontendType.FLUSH || type == FrontendType.QUERY) {
                    answerPendingWithoutServer();
                }
            } else {
                acquireServer();
            }
        } else {
            forward(frame);
        }
    }

    /**
     * Answers {@code SET pgmux.wait_deadline = '2s'} and {@code RESET pgmux.wait_deadline} sent as a query of their
     * own while nothing of the client's is in flight or in a transaction, and refuses a query with one of them among
     * other statements; false (and {@code frame} untouched) for anything else, which goes its usual way. Other
     * queries are only scanned for the word wait_deadline, without decoding them: the relay path stays
     * allocation-free.
     */
    private boolean answeredDeadline(ByteBuf frame) {
        if (Frames.isPartial(frame)) {
            return false;
        }
        ServerConnection server = link.server();
        TransactionStatus status = server == null ? TransactionStatus.IDLE : server.transactionStatus();
        if (!pending.isEmpty() || handover != null || !link.requests().answersAlone(status)) {
            return false;
        }
        int start = Frames.bodyStart(frame);
        int length = Frames.bodyLength(frame);
        boolean alone = DeadlineStatements.mayBe(frame, start, length);
        if (!alone && !DeadlineStatements.mentions(frame, start, length)) {
            return false;
        }
        String sql = Query.sql(frame);
        DeadlineStatements.Change change = alone ? DeadlineStatements.parse(sql) : null;
        if (change == null) {
            if (!DeadlineStatements.amongOthers(sql)) {
                return false;
            }
            frame.release();
            refuseQuery(new PgException(Severity.ERROR, SqlState.FEATURE_NOT_SUPPORTED,
                    "pgmux.wait_deadline cannot be set or reset among other statements of one query", null,
                    "Send the SET or RESET of pgmux.wait_deadline as a query of its own: pgmux answers it itself."));
            return true;
        }
        frame.release();
        if (deadlines != null) {
            deadlines.queryArrived();
        }
        answerDeadlineQuery(change);
        return true;
    }

    /** The answer to a Query of one SET, RESET or SHOW of pgmux.wait_deadline: what PostgreSQL would send. */
    private void answerDeadlineQuery(DeadlineStatements.Change change) {
        long nanos;
        try {
            nanos = deadlineNanos(change);
        } catch (PgException invalid) {
            refuseQuery(invalid);
            return;
        }
        if (change instanceof DeadlineStatements.Show) {
            link.requests().answer(PreparedDeadlines.showColumns(ctx.alloc()), null);
            link.requests().answer(BackendMessages.dataRow(ctx.alloc(), List.of(shownDeadline())), null);
        } else {
            admission = admission.withDeadline(nanos);
        }
        link.requests().answer(BackendMessages.commandComplete(ctx.alloc(), change instanceof DeadlineStatements.Set
                ? "SET" : change instanceof DeadlineStatements.Reset ? "RESET" : "SHOW"), null);
        answeredLocally(link.requests().answerSync());
    }

    /** Refuses a Query the backend has no part in, as PostgreSQL does: the error, then ReadyForQuery. */
    private void refuseQuery(PgException error) {
        metrics.errorSent(error.sqlState());
        answeredLocally(link.requests().refuse(BackendMessages.errorResponse(ctx.alloc(), error),
                FrontendType.QUERY));
    }

    /** @throws PgException 22023 for a SET of a value that is not a deadline */
    private long deadlineNanos(DeadlineStatements.Change change) {
        if (change instanceof DeadlineStatements.Set set) {
            return WaitDeadlines.parseNanos(set.value(), Severity.ERROR);
        }
        return change instanceof DeadlineStatements.Reset
                ? context.config().admission().defaultWaitDeadline().toNanos() : admission.deadlineNanos();
    }

    /** The client's deadline as {@code SHOW pgmux.wait_deadline} gives it. */
    private String shownDeadline() {
        return WaitDeadlines.format(admission.deadlineNanos());
    }

    /**
     * Applies a SET or RESET of the deadline answered in the extended protocol (its value was checked already). The
     * undo (the backend failed an earlier request of the batch, so PostgreSQL would have skipped this one) leaves a
     * later change alone; of two changes skipped in one batch, the first stays.
     */
    private Undo applyDeadline(DeadlineStatements.Change change) {
        Admission before = admission;
        Admission after = admission.withDeadline(deadlineNanos(change));
        admission = after;
        return () -> {
            if (admission == after) {
                admission = before;
            }
        };
    }

    /**
     * Answers a message of a SET or RESET of pgmux.wait_deadline prepared in the extended protocol (see {@link
     * PreparedDeadlines}), in its turn; false (and {@code frame} untouched) for anything else. Until the client's
     * first such Parse, other messages cost nothing more than a look at the first word of each Parse.
     */
    private boolean answeredPreparedDeadline(ByteBuf frame, byte type) {
        if (deadlines == null) {
            if (type != FrontendType.PARSE || !PreparedDeadlines.prepares(frame)) {
                return false;
            }
            deadlines = new PreparedDeadlines(ctx.alloc(), this::applyDeadline, this::shownDeadline);
        }
        ServerConnection server = link.server();
        TransactionStatus status = server == null ? TransactionStatus.IDLE : server.transactionStatus();
        if (!deadlines.answer(frame, type, link.requests(), link.requests().answersAlone(status))) {
            return false;
        }
        answeredLocally(false); // no ReadyForQuery among these answers: the Sync is answered as usual
        return true;
    }

    /** Most messages of one batch that a client holding no backend may send before a backend is asked for. */
    private static final int MAX_MESSAGES_WITHOUT_SERVER = 64;

    /**
     * Whether the messages queued so far, ending with {@code frame}, may all be answered without a backend: named
     * Parses and Closes (see {@link ServerLink#answerWithoutServer}), Flush and Sync. Decided per batch: one message
     * that needs a backend sends the whole batch to one, so that PostgreSQL itself answers the Parses in it, errors
     * included, exactly as without pgmux.
     */
    private boolean mayAnswerWithoutServer(ByteBuf frame, byte type) {
        if (!welcomed || guard == null || pending.size() > MAX_MESSAGES_WITHOUT_SERVER) {
            return false;
        }
        if (listens != null && (type != FrontendType.QUERY || pending.size() == 1)
                && listens.answersWithoutServer(frame, type)) {
            return true; // a LISTEN or UNLISTEN, answered without a backend
        }
        if (deadlines == null && type == FrontendType.PARSE && PreparedDeadlines.prepares(frame)) {
            deadlines = new PreparedDeadlines(ctx.alloc(), this::applyDeadline, this::shownDeadline);
        }
        if (deadlines != null && deadlines.answersWithoutServer(frame, type)) {
            return true; // a SET or RESET of pgmux.wait_deadline, answered without a backend
        }
        return switch (type) {
            case FrontendType.SYNC, FrontendType.FLUSH -> true;
            case FrontendType.PARSE -> link.mayAnswerWithoutServer(frame) && !guard.changesState(frame);
            case FrontendType.CLOSE -> link.mayAnswerWithoutServer(frame);
            default -> false;
        };
    }

    /**
     * At a Sync or Flush of a batch that needs no backend: answers the queued messages in order. Should one of them
     * need a backend after all (a second Parse of a name, which the server must make fail), it and the rest go to a
     * backend as usual, after the answers already given.
     */
    private void answerPendingWithoutServer() {
        ByteBuf frame;
        // Only whole messages are queued here: the streamed ones (Bind, CopyData, FunctionCall) need a backend.
        while ((frame = (ByteBuf) pending.peek()) != null) {
            byte type = Frames.type(frame);
            if (type == FrontendType.SYNC) {
                frame.release();
                pending.poll();
                answeredLocally(link.requests().answerSync()); // no backend held, so no transaction: idle
            } else if (type == FrontendType.FLUSH) {
                frame.release();
                pending.poll(); // the answers given are flushed at the end of this read
            } else if (answeredWithoutServer(frame)) {
                pending.poll(); // the link took the frame
            } else {
                acquireServer();
                return;
            }
        }
    }

    private boolean answeredWithoutServer(ByteBuf frame) {
        if (deadlines != null && Frames.type(frame) == FrontendType.QUERY) {
            deadlines.queryArrived();
        }
        if (listens != null) {
            ClientListens.Outcome outcome = listens.answer(frame, Frames.type(frame), link.requests(),
                    TransactionStatus.IDLE, true);
            if (outcome != ClientListens.Outcome.PASS) {
                answeredLocally(outcome == ClientListens.Outcome.ANSWERED_READY);
                return true;
            }
        }
        if (answeredPreparedDeadline(frame, Frames.type(frame))) {
            return true;
        }
        guard.answeredWithoutServer(frame);
        return link.answerWithoutServer(frame);
    }

    /**
     * A LISTEN of a channel the pool's listening connection does not LISTEN on yet: it and everything after it wait
     * until it does, so that the client's LISTEN, once answered, misses no notification.
     */
    private void awaitListener(ByteBuf frame, byte type) {
        awaitingListener = true;
        ctx.channel().config().setAutoRead(false);
        pending.add(frame);
        listens.await(frame, type, this::listenerReady);
    }

    /** The listening connection subscribed (or failed to): the queued messages go on, in order. */
    private void listenerReady() {
        awaitingListener = false;
        if (closed) {
            return;
        }
        ArrayDeque<ReferenceCounted> waiting = new ArrayDeque<>(pending);
        pending.clear();
        ctx.channel().config().setAutoRead(handover == null);
        for (ReferenceCounted message : waiting) {
            if (message instanceof MessageContinuation rest) {
                forwardRest(rest);
            } else {
                ByteBuf frame = (ByteBuf) message;
                dispatch(frame, Frames.type(frame));
            }
        }
        link.flush();
        ctx.flush();
    }

    /** How PostgreSQL reads the client's LISTEN texts now: the settings it last reported, else the pool's. */
    private ClientText clientText() {
        return ClientText.of(parameter("client_encoding"), parameter("server_encoding"),
                parameter("standard_conforming_strings"), parameter("client_min_messages"));
    }

    /**
     * A run-time parameter's value as last reported to the client or set through a tracked SET (names are
     * case-insensitive), else the pool's, or null.
     */
    private String parameter(String name) {
        String tracked = guard == null ? null : guard.pins().trackedValues().get(name);
        if (tracked != null) {
            return tracked;
        }
        String reported = parameters.values().get(name); // PostgreSQL's own spelling, as in ParameterStatus
        if (reported != null) {
            return reported;
        }
        for (Map.Entry<String, String> e : parameters.values().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        Map<String, String> defaults = pool.loginParameters();
        return defaults == null ? null : defaults.get(name);
    }

    /**
     * Whether a notification may be written to the client now: as PostgreSQL, only outside a transaction and while
     * the client waits for nothing.
     */
    private boolean readyForNotifications() {
        if (closed || !welcomed || awaitingListener || handover != null || !pending.isEmpty()
                || link.abandoned() != null) {
            return false;
        }
        ServerConnection server = link.server();
        return server == null
                || link.idle() && !link.busy() && server.transactionStatus() == TransactionStatus.IDLE;
    }

    /**
     * A malformed message: PostgreSQL's answer is FATAL 08P01 and a closed connection. Nothing more of this client
     * is read or relayed; a backend it holds is given back or closed when the channel closes (channelInactive).
     */
    private void protocolViolation(ProtocolException malformed) {
        closed = true;
        ctx.channel().config().setAutoRead(false);
        log.info("{} sent a malformed message: {}", label, malformed.getMessage());
        fail(malformed);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        clock.activity();
        link.flush();
        if (handover != null) {
            watchForLeaving();
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * While it waits for a backend the client is not read automatically, but one read stays requested, so that a
     * client that leaves is seen at once on every transport (NIO notices a closed socket only when it reads): it
     * leaves the queue, and what it sent is released instead of reaching the backend it would have been handed.
     * What it sends meanwhile joins the pending messages, up to a bound, past which nothing more is read.
     */
    private void watchForLeaving() {
        if (!closed && pending.size() <= MAX_MESSAGES_WITHOUT_SERVER) {
            ctx.read();
        }
    }

    private void forward(ByteBuf frame) {
        byte type = Frames.type(frame);
        if (deadlines != null && type == FrontendType.QUERY) {
            deadlines.queryArrived();
        }
        // Once pinned, an UNLISTEN goes to the pinned backend, where it undoes a LISTEN PostgreSQL ran as
        // written (one pgmux could not read exactly: see ClientListens#relay).
        if (listens != null && (guard == null || !guard.pinned())) {
            ClientListens.Outcome outcome = listens.answer(frame, type, link.requests(),
                    link.transactionStatus(), !link.midRequest());
            if (outcome != ClientListens.Outcome.PASS) {
                answeredLocally(outcome == ClientListens.Outcome.ANSWERED_READY);
                return;
            }
        }
        if (answeredPreparedDeadline(frame, type)) {
            return;
        }
        boolean listensFollowed = false;
        if (listens != null) {
            ByteBuf relayed = listens.relay(frame, link.requests().readyOwed(), !link.midRequest());
            listensFollowed = relayed != frame; // its LISTENs were rewritten and are followed: they need no pin
            frame = relayed;
        }
        boolean admitted;
        try {
            admitted = mode == PoolMode.SESSION || admitStateChanges(frame, listensFollowed);
        } catch (RuntimeException e) {
            frame.release(); // the inspector threw before anything took the frame
            throw e;
        }
        if (!admitted) {
            return;
        }
        timer.forwarded();
        if (link.send(frame)) {
            clock.queryStarted();
        }
        if (!link.server().channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /**
     * The next piece of a streamed client message goes where its head went: into the queue while the head waits there
     * for a backend, else to the backend the head was written to, or nowhere if the head was dropped.
     */
    private void forwardRest(MessageContinuation rest) {
        if (closed) {
            rest.release();
        } else if (!pending.isEmpty()) {
            pending.add(rest);
        } else {
            link.sendRest(rest);
            ServerConnection server = link.server();
            if (server != null && !server.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    /**
     * A message longer than max_parsed_message_length, whose bytes the decoder discards. With nothing in flight it is
     * answered as PostgreSQL answers a message it refuses, and the session goes on. Otherwise (a transaction is open,
     * or earlier messages are with the backend or queued for it) the backend cannot be made to fail in step with the
     * client, so the connection ends; pgmux then rolls the backend back or closes it as for any client that leaves.
     */
    private void refuseOversized(OversizedMessage message) {
        if (closed || link.requests().skipping()) {
            return; // skipped like any message up to the Sync
        }
        timer.requestArrived();
        ServerConnection server = link.server();
        if (!pending.isEmpty() || handover != null
                || server != null && (!link.idle() || server.transactionStatus() != TransactionStatus.IDLE)) {
            fail(message.error(Severity.FATAL));
            return;
        }
        PgException error = message.error(Severity.ERROR);
        metrics.errorSent(error.sqlState());
        answeredLocally(link.requests().refuse(BackendMessages.errorResponse(ctx.alloc(), error), message.type()));
    }

    /**
     * Records what the message does to session state; under {@code pinning: refuse}, answers a message that would
     * pin with an error instead of forwarding it.
     *
     * @return false when the message was refused (and released)
     */
    private boolean admitStateChanges(ByteBuf frame, boolean listensFollowed) {
        PgException refusal = guard.admit(frame, link.server(), label, listensFollowed);
        if (refusal == null) {
            return true;
        }
        byte type = Frames.type(frame);
        frame.release();
        metrics.errorSent(refusal.sqlState());
        if (link.midRequest()) {
            // Earlier messages of this batch are already with the backend: no clean point to answer in between.
            ClientErrors.sendAndClose(ctx, new PgException(Severity.FATAL, refusal.sqlState(), refusal.getMessage(),
                    refusal.detail(), refusal.hint()));
        } else {
            answeredLocally(link.requests().refuse(BackendMessages.errorResponse(ctx.alloc(), refusal), type));
        }
        return false;
    }

    /**
     * pgmux answered the client itself (through the request queue, in order): the answer is flushed at once, and a
     * ReadyForQuery that left nothing owed ends the request like the backend's own would.
     */
    private void answeredLocally(boolean readyAndIdle) {
        ctx.flush();
        if (readyAndIdle) {
            timer.answered(link.transactionStatus() == TransactionStatus.IDLE);
            clock.readyForQuery(link.transactionStatus() == TransactionStatus.IDLE);
            releaseIfDone();
            deliverNotifications();
        }
    }

    private void deliverNotifications() {
        if (listens != null) {
            listens.deliverIfIdle();
        }
    }

    private void acquireServer() {
        if (handover != null || link.server() != null || closed) {
            return;
        }
        clock.waitStarted();
        ctx.channel().config().setAutoRead(false);
        watchForLeaving();
        ServerHandover request = new ServerHandover(pool, ctx.channel().eventLoop(), admission);
        handover = request;
        request.start(parameters.values(), guard == null ? Map.of() : guard.pins().trackedValues())
                .addListener((Future<ServerConnection> f) -> onServerReady(request, f));
    }

    private void onServerReady(ServerHandover request, Future<ServerConnection> ready) {
        if (request != handover || ready.isCancelled()) {
            if (ready.isSuccess()) {
                // Handed over after the client left (the promise's listeners may run after channelInactive
                // cancelled the request): nothing was sent to the backend, so it goes straight back.
                pool.release(ready.getNow(), false);
            }
            return;
        }
        handover = null;
        if (!ready.isSuccess()) {
            if (!closed) {
                fail(ready.cause());
            }
            return;
        }
        try {
            attach(ready.getNow());
        } catch (RuntimeException e) {
            // Thrown inside a future's listener, it would be logged and dropped by Netty, leaving the client unread
            // and the backend lent for ever: close the client instead; channelInactive settles the backend.
            closed = true;
            fail(e);
        }
    }

    private void attach(ServerConnection s) {
        log.trace("{} attached {} with {} pending", label, s, pending.size());
        link.attach(s);
        s.attach(route);
        if (!s.isOpen()) {
            // It closed on its way here (a server shutting down), perhaps before it had a route to say so: nothing
            // was sent to it, so the client simply waits for another.
            link.detach();
            s.detach();
            acquireServer();
            return;
        }
        if (!welcomed) {
            welcome(s.reportedParameters(), pool.loginParameters() != null ? pool.loginParameters()
                    : s.reportedParameters());
        }
        ReferenceCounted next;
        while (!closed && link.server() != null && !link.requests().skipping() && !awaitingListener
                && (next = pending.poll()) != null) {
            if (next instanceof MessageContinuation rest) {
                link.sendRest(rest);
            } else {
                forward((ByteBuf) next);
            }
        }
        link.flush();
        ctx.channel().config().setAutoRead(s.channel().isWritable());
        if (!pending.isEmpty() && !awaitingListener) {
            replayAfterRefusal();
        }
        releaseIfDone();
    }

    /** A refused message stopped the queue: the rest goes through the normal read path, in order. */
    private void replayAfterRefusal() {
        ArrayDeque<ReferenceCounted> rest = new ArrayDeque<>(pending);
        pending.clear();
        for (ReferenceCounted message : rest) {
            channelRead(ctx, message);
        }
    }

    /**
     * The end of the login: AuthenticationOk, parameters, pgmux's own cancel key, ReadyForQuery.
     *
     * @param reported what the client is told the session's parameters are
     * @param defaults what a fresh backend of the pool reports
     */
    private void welcome(Map<String, String> reported, Map<String, String> defaults) {
        LoginCompletion.send(ctx, reported, key);
        welcomed = true;
        clock.activity(); // idle time counts from the end of the login
        loginTimer.stop();
        guard = PinGuard.create(context, defaults, pinning, link.routesStatements(), metrics);
        if (context.config().admin().logging().connections()) {
            try (ClientMdc mdc = ClientMdc.of(database, user, key.processId())) {
                log.info("{} logged in, {} pooling", label, mode.configName());
            }
        }
    }

    @Override
    public void onServerFrame(ServerConnection s, ByteBuf frame) {
        if (s != link.server() || closed) {
            frame.release(); // a late frame from a backend this client no longer holds
            return;
        }
        byte type = Frames.type(frame);
        // The backend recorded its own state from this frame already (transaction status, reported parameters).
        ParameterStatus status = type == BackendType.PARAMETER_STATUS ? ParameterStatus.decode(frame) : null;
        if (status != null) {
            parameters.values().put(status.name(), status.value());
        } else if (guard != null) {
            guard.observe(frame, type);
        }
        if (type == BackendType.ERROR_RESPONSE) {
            PgException farewell = BackendLoss.farewell(frame);
            if (farewell != null && BackendLoss.survivable(mode, guard, link.requests().copying())) {
                serverFarewell = farewell; // the client gets an ERROR instead when the socket closes
                frame.release();
                return;
            }
            metrics.errorSent(frame); // before delivery, which hands the frame on
        }
        if (link.deliver(frame, type)) {
            timer.answered(s.transactionStatus() == TransactionStatus.IDLE);
            clock.readyForQuery(s.transactionStatus() == TransactionStatus.IDLE);
            clock.activity();
            if (guard != null && s.transactionStatus() == TransactionStatus.IDLE) {
                guard.idle(s, label);
            }
            releaseIfDone();
            deliverNotifications();
        } else if (!ctx.channel().isWritable()) {
            s.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void onServerContinuation(ServerConnection s, MessageContinuation rest) {
        if (s != link.server() || closed) {
            rest.release(); // its head was dropped for the same reason
            return;
        }
        link.deliverRest(rest);
        if (!ctx.channel().isWritable()) {
            s.channel().config().setAutoRead(false);
        }
    }

    /** At a ReadyForQuery with nothing outstanding: give the backend back if the pool mode allows. */
    private void releaseIfDone() {
        // Not idle: a request is running, or an extended-protocol batch is half sent (Parse arrived, Sync not yet)
        // and the rest of it must reach the same backend.
        ServerConnection server = link.server();
        if (server == null || !link.idle() || mode == PoolMode.SESSION || guard != null && guard.pinned()) {
            return;
        }
        if (server.transactionStatus() != TransactionStatus.IDLE) {
            if (mode == PoolMode.STATEMENT) {
                ctx.flush();
                fail(ClientErrors.fatal(SqlState.FEATURE_NOT_SUPPORTED,
                        "transaction blocks not allowed in statement pooling mode"));
            }
            return;
        }
        link.detach();
        ctx.flush();
        log.trace("{} released {}", label, server);
        pool.release(server, false);
    }

    @Override
    public void onServerReadComplete(ServerConnection s) {
        if (s == link.server()) {
            ctx.flush();
        }
    }

    @Override
    public void onServerWritabilityChanged(ServerConnection s, boolean writable) {
        if (s == link.server()) {
            ctx.channel().config().setAutoRead(writable);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ServerConnection server = link != null ? link.server() : null;
        if (server != null) {
            server.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        if (ctx.channel().isWritable()) {
            deliverNotifications();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void onServerClosed(ServerConnection s, Throwable cause) {
        if (s != link.server()) {
            return;
        }
        PgException farewell = serverFarewell;
        serverFarewell = null;
        if (closed || !BackendLoss.survivable(mode, guard, link.requests().copying())) {
            link.lost();
            fail(farewell != null ? farewell : cause);
            return;
        }
        boolean inTransaction = s.transactionStatus() != TransactionStatus.IDLE;
        PgException error = BackendLoss.error(farewell, inTransaction);
        log.info("{} lost {} under its requests: {}", label, s, error.getMessage());
        metrics.errorSent(error.sqlState());
        if (inTransaction && guard != null) {
            guard.transactionLost();
        }
        boolean readyAndIdle = link.lostUnder(error, inTransaction);
        ctx.flush();
        ctx.channel().config().setAutoRead(true); // it may have been off for the backend's backpressure
        if (readyAndIdle) {
            timer.answered(true);
            clock.readyForQuery(true);
        }
    }

    /** Called from any thread when a CancelRequest with this client's key arrived. */
    void cancelRunningQuery() {
        ctx.executor().execute(this::cancelOnBackend);
    }

    private void cancelOnBackend() {
        ServerConnection server = link.server();
        if (server != null) {
            context.cancels().cancel(ctx.channel().eventLoop(), server);
        }
    }

    /** Called by the {@link TimeoutSweeper} on this session's loop, with the configuration in force. */
    void checkTimeouts(long now, PgmuxConfig config) {
        if (closed) {
            return;
        }
        if (config != timeoutsSource) { // a reload: this user's timeouts are worked out once per configuration
            timeoutsSource = config;
            userTimeouts = config.timeoutsFor(user);
        }
        Timeouts timeouts = userTimeouts;
        ServerConnection server = link.server();
        boolean inTransaction = server != null && server.transactionStatus() != TransactionStatus.IDLE;
        switch (clock.check(now, timeouts, handover != null, link.busy(), inTransaction, welcomed)) {
            case NOTIFY_WAIT -> ctx.writeAndFlush(BackendMessages.noticeResponse(ctx.alloc(), Severity.NOTICE, "01000",
                    "pgmux: waiting for a server connection in pool " + pool.key() + " (queue position "
                            + handover.queuePosition() + ", waited " + clock.waitedMillis(now) + " ms)"));
            case CANCEL_QUERY -> {
                log.info("{} query_timeout: cancelling the running query on {}", label, server);
                cancelOnBackend();
            }
            case IDLE_TRANSACTION -> fail(ClientErrors.fatal(SqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
                    "terminating connection due to idle_transaction_timeout"));
            case IDLE_CLIENT -> fail(ClientErrors.fatal(SqlState.IDLE_SESSION_TIMEOUT,
                    "terminating connection due to client_idle_timeout"));
            case TRANSACTION -> fail(ClientErrors.fatal(SqlState.TRANSACTION_TIMEOUT,
                    "terminating connection due to transaction_timeout"));
            case NOTHING -> {
            }
        }
    }

    private void fail(Throwable cause) {
        PgException error = ProtocolException.unwrap(cause);
        if (!OrdinaryDisconnect.is(cause)) { // a client that went away is sent no error
            metrics.errorSent(error != null ? error.sqlState() : SqlState.INTERNAL_ERROR);
        }
        ClientErrors.failAndClose(ctx, cause, "in session");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        loginTimer.stop();
        if (pool == null) {
            ctx.fireChannelInactive(); // never got past handlerAdded
            return;
        }
        context.clients().unregister(key);
        context.sweeper().unregister(this, ctx.executor());
        if (guard != null) {
            guard.clientLeft();
        }
        if (listens != null) {
            listens.close();
        }
        ReferenceCounted message;
        while ((message = pending.poll()) != null) {
            message.release();
        }
        if (handover != null) {
            handover.cancel();
            handover = null;
        }
        boolean unanswered = !link.idle();
        ServerConnection s = link.detach();
        link.lost(); // releases answers still owed
        if (s != null) {
            if (unanswered) {
                // A query is still running or a batch is half sent: its answers cannot be awaited safely, and must
                // not reach the backend's next client, so the backend is not reused. PostgreSQL would notice the
                // closed socket only when the query ends, so the query is cancelled first.
                context.cancels().cancel(ctx.channel().eventLoop(), s);
                pool.discard(s);
            } else {
                // A pinned backend carries the client's session state: reset it like a session-mode backend.
                pool.release(s, mode == PoolMode.SESSION || guard != null && guard.pinned());
            }
        }
        if (context.config().admin().logging().disconnections()) {
            try (ClientMdc mdc = ClientMdc.of(database, user, key.processId())) {
                log.info("{} disconnected", label);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public String activityState() {
        ServerLink l = link;
        if (l != null && l.server() != null) {
            return "active";
        }
        return handover != null ? "waiting" : "idle";
    }

    @Override
    public long linkedServerId() {
        ServerLink l = link;
        ServerConnection s = l == null ? null : l.server();
        return s == null ? -1 : s.id();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }
}
