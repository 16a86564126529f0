// One logged-in backend connection to PostgreSQL and the session state pgmux tracks on it.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgmux.protocol.BackendKeyData;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.MessageContinuation;
import io.pgmux.protocol.ParameterStatus;
import io.pgmux.protocol.ReadyForQuery;
import io.pgmux.protocol.TransactionStatus;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One authenticated connection to PostgreSQL, lent by a {@link Pool} to one holder at a time.
 *
 * <p>Threading: the channel lives on its own event loop. What PostgreSQL says about the session (transaction
 * status, reported parameters) is recorded by the channel's loop as each frame is read, before the frame reaches
 * the holder (see {@link #observe}), so these fields are safe to read from any thread. The rest (unreported
 * settings, statements, {@code midMessage}) is read and changed only by whoever holds the connection (a client
 * session on its loop, or the pool while it resets it); hand-offs go through the pool's lock or a promise, which
 * publishes those fields safely. {@code route} is read by the channel's loop and is volatile.
 */
public final class ServerConnection {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Pool pool;
    /**
     * Where this backend was opened. A reload may point the pool elsewhere ({@link Pool#target()}) while this
     * connection still talks to the old server, so whatever must reach this very backend (a CancelRequest) uses this.
     */
    private final BackendTarget target;
    /** The TLS settings this backend was opened with; a CancelRequest for it uses the same. */
    private final ServerTls tls;
    private final Channel channel;
    private final BackendKeyData backendKey;
    /**
     * Values PostgreSQL reported with ParameterStatus (GUC_REPORT parameters). Written by the channel's loop,
     * read by the holder: concurrent, so a reader never sees the map half updated.
     */
    private final Map<String, String> reportedParameters;
    /** Parameters pgmux SET on this backend that PostgreSQL does not report (e.g. extra_float_digits). */
    private final Map<String, String> unreportedSettings = new HashMap<>();
    /** Read-only views made once: they are read at every hand-over. */
    private final Map<String, String> unreportedView = Collections.unmodifiableMap(unreportedSettings);
    private final Map<String, String> reportedView;
    /** Prepared statements pgmux created here for clients, shared by every client this connection is lent to. */
    private final BackendStatements statements = new BackendStatements();
    private final long createdAtNanos;
    /**
     * From the last ReadyForQuery read. Written by the channel's loop, read by the holder on its own loop: when the
     * holder has seen every ReadyForQuery it asked for, this is the status of the last one.
     */
    private volatile TransactionStatus transactionStatus = TransactionStatus.IDLE;
    /**
     * The head of a streamed message was written and its last piece has not been: PostgreSQL is in the middle of
     * reading it, and anything else written now would be taken as part of it. Holder-confined like the fields above.
     */
    private boolean midMessage;
    /** fleet_max_db_connections when this backend took a slot of it (FleetBudgetConnector); 0 without. */
    private int fleetSlots;
    /** A text that may release the slot was sent since the slot was last checked ({@link FleetSlotDoubt}). */
    private boolean slotInDoubt;
    /** Such a text was prepared here: any later Execute of it may release the slot again. */
    private boolean slotAlwaysInDoubt;
    /** Guarded by the pool's ledger lock. */
    ServerState state = ServerState.ACTIVE;
    /** When the backend last went onto the idle list ({@link PoolClock#nanoTime()}); guarded by the pool's ledger lock. */
    long idleSinceNanos;
    /** The tenant holding this backend when its pool queues fairly, else null; guarded by the pool's ledger. */
    TenantLane lentTo;
    private volatile Route route;

    ServerConnection(Pool pool, BackendTarget target, ServerTls tls, Channel channel, BackendKeyData backendKey,
                     Map<String, String> reportedParameters) {
        this.pool = pool;
        this.createdAtNanos = pool.clock().nanoTime();
        this.idleSinceNanos = createdAtNanos;
        this.target = target;
        this.tls = tls;
        this.channel = channel;
        this.backendKey = backendKey;
        this.reportedParameters = new ConcurrentHashMap<>(reportedParameters);
        this.reportedView = Collections.unmodifiableMap(this.reportedParameters);
    }

    public long id() {
        return id;
    }

    public Pool pool() {
        return pool;
    }

    /** The address and login this backend was opened with; not necessarily the pool's current target. */
    public BackendTarget target() {
        return target;
    }

    ServerTls tls() {
        return tls;
    }

    public Channel channel() {
        return channel;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** The backend's real cancel key; never shown to clients. */
    public BackendKeyData backendKey() {
        return backendKey;
    }

    public Map<String, String> reportedParameters() {
        return reportedView;
    }

    public Map<String, String> unreportedSettings() {
        return unreportedView;
    }

    /** Records a SET of a parameter PostgreSQL does not report back, so the next holder can undo it. */
    public void recordUnreportedSetting(String name, String value) {
        if (value == null) {
            unreportedSettings.remove(name);
        } else {
            unreportedSettings.put(name, value);
        }
    }

    /** Forgets every tracked SET: after DISCARD ALL / RESET ALL the backend is back at its login defaults. */
    public void forgetUnreportedSettings() {
        unreportedSettings.clear();
    }

    public BackendStatements statements() {
        return statements;
    }

    public TransactionStatus transactionStatus() {
        return transactionStatus;
    }

    public long ageNanos() {
        return pool.clock().nanoTime() - createdAtNanos;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Records what a frame read from PostgreSQL says about the session (transaction status, reported parameters).
     * Called by the {@link ServerRelayHandler} on the channel's loop for every frame, before the frame is handed to
     * the holder, so the state is the backend's own, whoever holds it and whether anyone does. Cheap and
     * allocation-free for the frequent messages: one type-byte comparison.
     *
     * @throws io.pgmux.protocol.ProtocolException for a malformed ReadyForQuery or ParameterStatus
     */
    void observe(ByteBuf frame) {
        byte type = Frames.type(frame);
        if (type == BackendType.READY_FOR_QUERY) {
            transactionStatus = ReadyForQuery.status(frame);
        } else if (type == BackendType.PARAMETER_STATUS) {
            ParameterStatus status = ParameterStatus.decode(frame);
            reportedParameters.put(status.name(), status.value());
        }
    }

    /** Sends every further frame to the route's listener, on the route's executor. */
    public void attach(Route newRoute) {
        this.route = newRoute;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** Stops routing frames; anything the backend sends while detached is dropped by the relay handler. */
    public void detach() {
        this.route = null;
    }

    /** The current holder's route, or null while the backend sits in the pool. */
    Route route() {
        return route;
    }

    /**
     * Writes a frame towards PostgreSQL without flushing; ownership of the frame passes to Netty. The frame may be the
     * head of a streamed message, whose pieces then go through {@link #writeRest}.
     */
    public void write(ByteBuf frame) {
        if (Frames.isPartial(frame)) {
            midMessage = true;
        }
        if (fleetSlots > 0 && FleetSlotDoubt.raisedBy(frame)) {
            slotInDoubt = true;
            slotAlwaysInDoubt |= Frames.type(frame) == FrontendType.PARSE;
        }
        channel.write(frame, channel.voidPromise());
    }

    void tookFleetSlot(int slots) {
        fleetSlots = slots;
    }

    /** fleet_max_db_connections when this backend holds a slot of it, else 0. */
    int fleetSlots() {
        return fleetSlots;
    }

    /** Whether the slot must be checked before the backend is lent again. */
    boolean slotInDoubt() {
        return slotInDoubt || slotAlwaysInDoubt;
    }

    /** The check found (or took) a slot. */
    void slotConfirmed() {
        slotInDoubt = false;
    }

    /**
     * Writes the next piece of the streamed message whose head was written last, or releases it when that head was
     * not written here (it was dropped, or went to the backend the holder had before). Takes ownership of the piece.
     */
    public void writeRest(MessageContinuation rest) {
        if (!midMessage) {
            rest.release();
            return;
        }
        midMessage = !rest.isLast();
        channel.write(rest.content(), channel.voidPromise());
    }

    /**
     * A streamed message was begun and not finished: whatever is written next would be read by PostgreSQL as part of
     * it, so the connection must not be given to anyone else.
     */
    public boolean midMessage() {
        return midMessage;
    }

    public void flush() {
        channel.flush();
    }

    /**
     * Runs simple-protocol statements on this backend, one Query message each, and discards their results.
     * Must be called by the current holder; the holder's listener is replaced for the duration.
     *
     * @return completes when the last ReadyForQuery arrived; fails with the first ErrorResponse or a disconnect
     */
    public Future<Void> execute(List<String> statements) {
        return new QuietQuery(this, statements).start();
    }

    /** Closes the socket after a polite Terminate. Idempotent. */
    /**
     * Ends the session politely at shutdown: sends Terminate and lets PostgreSQL close the connection, which it does
     * only after its backend left pg_stat_activity; closes the socket itself after {@code graceMillis} otherwise
     * (e.g. the backend is busy with a query). The future completes when the socket is closed.
     */
    public Future<Void> terminate(long graceMillis) {
        if (!channel.isActive()) {
            return channel.close();
        }
        channel.writeAndFlush(io.pgmux.protocol.FrontendMessages.terminate());
        ScheduledFuture<?> force = channel.eventLoop().schedule(() -> {
            channel.close();
        }, graceMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> force.cancel(false));
        return channel.closeFuture();
    }

    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(io.pgmux.protocol.FrontendMessages.terminate())
                    .addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "S-" + id + "(" + pool.key() + ", pid " + (backendKey == null ? "?" : backendKey.processId()) + ")";
    }
}
