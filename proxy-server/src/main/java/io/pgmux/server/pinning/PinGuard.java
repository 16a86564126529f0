package io.pgmux.server.pinning;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgmux.config.PinningPolicy;
import io.pgmux.pool.ServerConnection;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.logging.LogSafe;
import io.pgmux.server.metrics.SessionMetrics;
import io.pgmux.server.session.ProxyContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session-state bookkeeping under transaction and statement pooling: reads what each message does
 * ({@link StatementInspector}), keeps the {@link PinState}, refuses pins under {@code pool.pinning: refuse}, and
 * keeps the backend's record of tracked parameters true. Confined to the client's event loop.
 */
public final class PinGuard {
    private static final Logger log = LoggerFactory.getLogger(PinGuard.class);
    /** CommandComplete's tag for a ROLLBACK (also what COMMIT of a failed transaction reports). */
    private static final ByteBuf ROLLBACK_TAG = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("ROLLBACK", StandardCharsets.US_ASCII)).asReadOnly();

    private final StatementInspector inspector;
    private final PinningPolicy policy;
    private final List<String> trackedParameters;
    private final PinCounters counters;
    /** The same pins for the session's pool (database, user); no-op when the metrics endpoint is off. */
    private final SessionMetrics metrics;
    private final PinState pins = new PinState();
    private final PreparedStatementEffects prepared = new PreparedStatementEffects();
    private long pinnedSince;

    PinGuard(StatementInspector inspector, PinningPolicy policy, List<String> trackedParameters, PinCounters counters,
             SessionMetrics metrics) {
        this.metrics = metrics;
        this.inspector = inspector;
        this.policy = policy;
        this.trackedParameters = trackedParameters;
        this.counters = counters;
    }

    /**
     * The guard of one client, from the configuration.
     *
     * @param reported               the parameters the pool's backends report at login
     * @param statementsFollowClient named prepared statements are re-created on each backend, so they do not pin
     */
    public static PinGuard create(ProxyContext context, Map<String, String> reported, PinningPolicy policy,
                           boolean statementsFollowClient, SessionMetrics metrics) {
        List<String> tracked = context.config().pool().trackExtraParameters();
        return new PinGuard(StatementInspector.shared(reported, tracked, statementsFollowClient), policy, tracked,
                context.pinCounters(), metrics);
    }

    public PinState pins() {
        return pins;
    }

    public boolean pinned() {
        return pins.pinned();
    }

    /** Whether the message would create or undo session state; records nothing. */
    public boolean changesState(ByteBuf frame) {
        return !inspector.inspect(frame).isEmpty();
    }

    /**
     * A named Parse or a Close about to be answered without a backend: it changes no session state (the caller
     * checked), but the record of which prepared statements have effects must still follow it, so that a closed
     * statement's effects are not counted for a later one of the same name. Harmless if the message goes to a
     * backend after all and is admitted again: a Close is idempotent, a Parse without effects records nothing.
     */
    public void answeredWithoutServer(ByteBuf frame) {
        prepared.of(frame, List.of());
    }

    /**
     * Records what a client message about to be sent to {@code server} does to session state.
     *
     * @return null to send it; the error to answer instead when the message would pin and pinning is refused
     */
    public PgException admit(ByteBuf frame, ServerConnection server, Object client) {
        return admit(frame, server, client, false);
    }

    /**
     * As {@link #admit(ByteBuf, ServerConnection, Object)}; with {@code listensFollowed}, the message's LISTEN and
     * UNLISTEN statements pin nothing: pool.listen: fan-out read the text as PostgreSQL will (with the client's
     * settings, which the readings here do not know) and follows them itself.
     */
    public PgException admit(ByteBuf frame, ServerConnection server, Object client, boolean listensFollowed) {
        List<StateChange> changes = prepared.of(frame, inspector.inspect(frame));
        if (listensFollowed && !changes.isEmpty()) {
            changes = changes.stream().filter(c -> c.reason() != PinReason.LISTEN).toList();
        }
        if (changes.isEmpty()) {
            return null;
        }
        PinReason refused = policy == PinningPolicy.REFUSE ? firstPin(changes) : null;
        if (refused != null) {
            String statement = StatementInspector.statementText(frame);
            log.info("{} refused {}: {}", client, refused.tag(), LogSafe.escape(statement));
            return new PgException(Severity.ERROR, SqlState.FEATURE_NOT_SUPPORTED,
                    "pgmux: statement would pin the server connection (" + refused.tag()
                            + ") and pool.pinning is refuse",
                    "statement: " + statement,
                    "use session pooling for it, or avoid session state under transaction pooling");
        }
        boolean wasPinned = pins.pinned();
        pins.sent(changes);
        if (!wasPinned && pins.pinned()) {
            pinnedSince = System.nanoTime();
            PinReason first = pins.reasons().iterator().next();
            counters.pinned(first);
            metrics.pinned(first.tag());
            log.info("{} pinned to {}: {} in \"{}\"", client, server, pins,
                    LogSafe.escape(StatementInspector.statementText(frame)));
        }
        if (changes.stream().anyMatch(PinGuard::resetsEveryParameter)) {
            server.forgetUnreportedSettings(); // everything pgmux applied is back at its default
        }
        return null;
    }

    /** Looks at a backend frame: errors and rollbacks cancel the undo statements sent since the last check. */
    public void observe(ByteBuf frame, byte type) {
        if (type == BackendType.ERROR_RESPONSE || type == BackendType.COMMAND_COMPLETE && isRollback(frame)) {
            pins.failed();
        }
    }

    /** ReadyForQuery outside a transaction: confirmed undo statements take effect, tracked values are recorded. */
    public void idle(ServerConnection server, Object client) {
        boolean wasPinned = pins.pinned();
        pins.confirm();
        prepared.transactionEnded();
        if (wasPinned && !pins.pinned()) {
            counters.unpinned(System.nanoTime() - pinnedSince, true);
            metrics.unpinned();
            log.info("{} unpinned from {}", client, server);
        }
        for (String name : trackedParameters) {
            String sql = pins.trackedValues().get(name);
            if (sql != null || server.unreportedSettings().containsKey(name)) {
                server.recordUnreportedSetting(name, sql);
            }
        }
    }

    /**
     * The backend went away inside the client's transaction: nothing the transaction sent took effect, as after a
     * ROLLBACK.
     */
    public void transactionLost() {
        pins.failed();
        pins.confirm();
        prepared.transactionEnded();
    }

    /** DISCARD ALL and RESET ALL (a tracked SET without a name) put every parameter back at its default. */
    private static boolean resetsEveryParameter(StateChange change) {
        return change.kind() == StateChange.Kind.DISCARD_ALL
                || change.kind() == StateChange.Kind.TRACKED_SET && change.name() == null;
    }

    /** The client left: a pin it still held ends with it. */
    public void clientLeft() {
        if (pins.pinned()) {
            counters.unpinned(System.nanoTime() - pinnedSince, false);
            metrics.unpinned();
        }
    }

    private static PinReason firstPin(List<StateChange> changes) {
        for (StateChange c : changes) {
            if (c.kind() == StateChange.Kind.PIN) {
                return c.reason();
            }
        }
        return null;
    }

    private static boolean isRollback(ByteBuf frame) {
        int length = ROLLBACK_TAG.readableBytes();
        return Frames.bodyLength(frame) > length
                && ByteBufUtil.equals(frame, Frames.bodyStart(frame), ROLLBACK_TAG, 0, length);
    }
}
