package io.pgmux.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import io.pgmux.config.PoolMode;
import io.pgmux.pool.Pool;
import io.pgmux.pool.Route;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.ServerListener;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.ParameterStatus;
import io.pgmux.protocol.Parse;
import io.pgmux.protocol.Query;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.TransactionStatus;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in client: relays its messages to the backend it holds and the backend's answers back, and decides
 * when the backend goes back to the pool (session mode: when the client leaves; transaction mode: at each
 * ReadyForQuery that reports idle with nothing outstanding; statement mode: likewise, refusing transactions).
 *
 * <p>States: waiting for a backend ({@code acquiring != null}), holding one ({@code server != null}), or idle
 * between transactions (neither). Messages that arrive while no backend is held are queued in order and the
 * client is not read further until a backend is attached, which bounds the queue to one read batch.
 *
 * <p>Threading: every field is confined to the client's event loop; the backend's frames are delivered here
 * through the {@link Route}, on this loop.
 */
final class ClientSession extends ChannelInboundHandlerAdapter implements ServerListener {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final ProxyContext context;
    private final String user;
    private final String database;
    private final SessionParameters parameters;
    private final LoginTimer loginTimer;
    private final ClientKey key;
    private PoolMode mode;
    private Pool pool;
    private ChannelHandlerContext ctx;
    private Route route;

    private ServerConnection server;
    private Future<ServerConnection> acquiring;
    /** From the acquire until the backend is attached, including the parameter sync in between. */
    private boolean waitingForServer;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    /** Query, Sync and FunctionCall messages sent to the held backend and not yet answered by ReadyForQuery. */
    private int outstanding;
    /** Set once the client created session state its backend must keep; the backend stays until it leaves. */
    private PinReason pinReason;
    /** Lower-case names of the parameters the pool's backends report; SETs of these need no pin. */
    private Set<String> reportedNames;
    private boolean welcomed;
    private boolean serverNeedsFlush;
    private boolean closed;

    ClientSession(ProxyContext context, String user, String database, SessionParameters parameters,
                  LoginTimer loginTimer) {
        this.context = context;
        this.user = user;
        this.database = database;
        this.parameters = parameters;
        this.loginTimer = loginTimer;
        this.key = context.clients().newKey();
    }

    ClientKey key() {
        return key;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.route = new Route(this, ctx.executor());
        try {
            this.mode = context.config().poolMode(database, user);
            this.pool = context.pools().pool(database, user);
        } catch (PgException e) {
            ClientErrors.sendAndClose(ctx, e);
            return;
        }
        context.clients().register(this);
        // Log in through a real backend: the client's parameters are applied and the values it is told are true.
        acquireServer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closed) {
            frame.release();
        } else if (Frames.type(frame) == FrontendType.TERMINATE) {
            frame.release();
            ctx.close();
        } else if (server == null) {
            pending.add(frame);
            acquireServer();
        } else {
            forward(frame);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushServer();
        ctx.fireChannelReadComplete();
    }

    private void forward(ByteBuf frame) {
        byte type = Frames.type(frame);
        if (type == FrontendType.QUERY || type == FrontendType.SYNC || type == FrontendType.FUNCTION_CALL) {
            outstanding++;
        }
        if (mode != PoolMode.SESSION && pinReason == null && (type == FrontendType.QUERY || type == FrontendType.PARSE)) {
            inspectForSessionState(frame, type);
        }
        server.write(frame);
        serverNeedsFlush = true;
        if (!server.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Transaction and statement pooling only: pins the backend when the statement leaves session state. */
    private void inspectForSessionState(ByteBuf frame, byte type) {
        String sql;
        if (type == FrontendType.PARSE) {
            Parse parse = Parse.decode(frame);
            if (!parse.statementName().isEmpty()) {
                pin(PinReason.NAMED_PREPARED_STATEMENT, parse.query());
                return;
            }
            sql = parse.query();
        } else {
            sql = Query.sql(frame);
        }
        if (SessionStateDetector.discardsSession(sql)) {
            server.forgetUnreportedSettings();
        }
        PinReason reason = SessionStateDetector.scan(sql, reportedNames());
        if (reason != null) {
            pin(reason, sql);
        }
    }

    private Set<String> reportedNames() {
        if (reportedNames == null) {
            Map<String, String> reported = pool.loginParameters() != null ? pool.loginParameters()
                    : server.reportedParameters();
            reportedNames = reported.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        }
        return reportedNames;
    }

    private void pin(PinReason reason, String sql) {
        pinReason = reason;
        log.info("{} pinned to {}: {} in \"{}\"", ctx.channel(), server, reason.tag(),
                sql.length() > 80 ? sql.substring(0, 80) : sql);
    }

    private void flushServer() {
        if (serverNeedsFlush && server != null) {
            serverNeedsFlush = false;
            server.flush();
        }
    }

    private void acquireServer() {
        if (waitingForServer || server != null || closed) {
            return;
        }
        waitingForServer = true;
        ctx.channel().config().setAutoRead(false);
        Future<ServerConnection> future = pool.acquire(ctx.channel().eventLoop());
        acquiring = future;
        future.addListener(f -> onAcquired(future));
    }

    private void onAcquired(Future<ServerConnection> future) {
        acquiring = null;
        log.trace("{} acquired {}", ctx.channel(), future.isSuccess() ? future.getNow() : future.cause());
        if (future.isCancelled()) {
            return;
        }
        if (!future.isSuccess()) {
            if (!closed) {
                fail(future.cause());
            }
            return;
        }
        ServerConnection s = future.getNow();
        if (closed) {
            pool.release(s, false);
            return;
        }
        Map<String, String> defaults = pool.loginParameters() != null ? pool.loginParameters() : Map.of();
        List<String> statements = ParameterSync.statements(parameters.values(), s, defaults);
        if (statements.isEmpty()) {
            attach(s);
        } else {
            s.execute(statements).addListener(f -> ctx.executor().execute(() -> afterParameterSync(s, f)));
        }
    }

    private void afterParameterSync(ServerConnection s, Future<?> sync) {
        if (!sync.isSuccess()) {
            // Some SETs may have applied before the failure: the backend's state is not known any more.
            pool.discard(s);
            if (!closed) {
                fail(sync.cause());
            }
            return;
        }
        ParameterSync.recordApplied(parameters.values(), s);
        ParameterSync.adoptCanonicalValues(parameters.values(), s);
        if (closed) {
            pool.release(s, false);
            return;
        }
        attach(s);
    }

    private void attach(ServerConnection s) {
        log.trace("{} attached {} with {} pending", ctx.channel(), s, pending.size());
        waitingForServer = false;
        server = s;
        outstanding = 0;
        s.attach(route);
        if (!welcomed) {
            welcome(s);
        }
        ByteBuf frame;
        while ((frame = pending.poll()) != null) {
            forward(frame);
        }
        flushServer();
        ctx.channel().config().setAutoRead(s.channel().isWritable());
        releaseIfDone();
    }

    /** The end of the login: AuthenticationOk, the backend's parameters, pgmux's own cancel key, ReadyForQuery. */
    private void welcome(ServerConnection s) {
        ctx.write(BackendMessages.authenticationOk());
        s.reportedParameters().forEach((name, value) ->
                ctx.write(BackendMessages.parameterStatus(ctx.alloc(), name, value)));
        ctx.write(BackendMessages.backendKeyData(ctx.alloc(), key.processId(), key.secret()));
        ctx.writeAndFlush(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        welcomed = true;
        loginTimer.stop();
        log.info("{} login: user={} database={} mode={}", ctx.channel(), user, database, mode);
    }

    @Override
    public void onServerFrame(ServerConnection s, ByteBuf frame) {
        if (s != server || closed) {
            frame.release(); // a late frame from a backend this client no longer holds
            return;
        }
        byte type = Frames.type(frame);
        s.observe(frame);
        if (type == BackendType.PARAMETER_STATUS) {
            ParameterStatus status = ParameterStatus.decode(frame);
            parameters.values().put(status.name(), status.value());
        }
        ctx.write(frame, ctx.voidPromise());
        if (type == BackendType.READY_FOR_QUERY && --outstanding <= 0) {
            outstanding = 0;
            releaseIfDone();
        } else if (!ctx.channel().isWritable()) {
            s.channel().config().setAutoRead(false);
        }
    }

    /** At a ReadyForQuery with nothing outstanding: give the backend back if the pool mode allows. */
    private void releaseIfDone() {
        if (server == null || outstanding > 0 || mode == PoolMode.SESSION || pinReason != null) {
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
        ServerConnection s = server;
        server = null;
        ctx.flush();
        log.trace("{} released {}", ctx.channel(), s);
        pool.release(s, false);
    }

    @Override
    public void onServerReadComplete(ServerConnection s) {
        if (s == server) {
            ctx.flush();
        }
    }

    @Override
    public void onServerWritabilityChanged(ServerConnection s, boolean writable) {
        if (s == server) {
            ctx.channel().config().setAutoRead(writable);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (server != null) {
            server.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void onServerClosed(ServerConnection s, Throwable cause) {
        if (s != server) {
            return;
        }
        server = null;
        outstanding = 0;
        fail(cause);
    }

    /** Called from any thread when a CancelRequest with this client's key arrived. */
    void cancelRunningQuery() {
        ctx.executor().execute(() -> {
            if (server != null) {
                context.cancels().cancel(ctx.channel().eventLoop(), server.pool().target(), server.backendKey());
            }
        });
    }

    private void fail(Throwable cause) {
        PgException error = ProtocolException.unwrap(cause);
        if (error == null) {
            log.warn("{}: unexpected error", ctx.channel(), cause);
            error = ClientErrors.fatal(SqlState.INTERNAL_ERROR, "internal error: " + cause);
        }
        ClientErrors.sendAndClose(ctx, error);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        loginTimer.stop();
        if (pool == null) {
            ctx.fireChannelInactive(); // never got past handlerAdded
            return;
        }
        context.clients().unregister(this);
        ByteBuf frame;
        while ((frame = pending.poll()) != null) {
            frame.release();
        }
        if (acquiring != null) {
            acquiring.cancel(false);
        }
        if (server != null) {
            ServerConnection s = server;
            server = null;
            if (outstanding > 0) {
                // A query is still running: its end cannot be awaited safely, so the backend is not reused.
                pool.discard(s);
            } else {
                // A pinned backend carries the client's session state: reset it like a session-mode backend.
                pool.release(s, mode == PoolMode.SESSION || pinReason != null);
            }
        }
        log.info("{} closed: user={} database={}", ctx.channel(), user, database);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }
}
