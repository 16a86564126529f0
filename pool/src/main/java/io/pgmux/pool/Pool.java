package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.TransactionStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends of one (database, user) pair, lent to one client at a time.
 *
 * <p>Contract: every backend obtained from {@link #acquire} goes back exactly once, through {@link #release} or
 * {@link #discard}; one that is never returned is lost to the pool until its socket closes. At most
 * {@code maxSize} backends exist at once, counting those still logging in, so a storm of clients never causes
 * more than that many connection attempts. Waiting clients are served first come, first served.
 *
 * <p>Threading: clients call in from every event loop. The lists are guarded by this object's monitor and each
 * critical section is a few field updates; promises are completed outside it, on the waiter's own event loop.
 * One pool shared by all loops keeps the size limit exact (a pool per loop would split it).
 */
public final class Pool {
    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    private final PoolKey key;
    private final BackendTarget target;
    private final PoolLimits limits;
    private final ServerConnector connector;

    // Guarded by this.
    private final Map<EventLoop, ArrayDeque<ServerConnection>> idleByLoop = new HashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Set<ServerConnection> servers = new LinkedHashSet<>();
    private int size;
    private int loggingIn;
    private boolean closed;

    /** What a fresh backend reported at login; a client's session parameters start from these. */
    private volatile Map<String, String> loginParameters;

    public Pool(PoolKey key, BackendTarget target, PoolLimits limits, ServerConnector connector) {
        this.key = key;
        this.target = target;
        this.limits = limits;
        this.connector = connector;
    }

    public PoolKey key() {
        return key;
    }

    public BackendTarget target() {
        return target;
    }

    public PoolLimits limits() {
        return limits;
    }

    /** The parameters a fresh backend reports, or null before the first backend logged in. */
    public Map<String, String> loginParameters() {
        return loginParameters;
    }

    /**
     * Lends a backend, preferring an idle one on {@code loop}; otherwise queues the caller and opens a backend if
     * the pool is below its size. The future fails after the query wait timeout, and if cancelled the caller
     * leaves the queue.
     */
    public Future<ServerConnection> acquire(EventLoop loop) {
        Promise<ServerConnection> promise = loop.newPromise();
        ServerConnection idle;
        Waiter waiter = null;
        boolean open = false;
        synchronized (this) {
            if (closed) {
                return promise.setFailure(new PgException(Severity.FATAL, SqlState.CANNOT_CONNECT_NOW,
                        "pool " + key + " is closed"));
            }
            idle = takeIdle(loop);
            if (idle == null) {
                waiter = new Waiter(loop, promise);
                waiters.add(waiter);
                open = reserveSlot();
            }
        }
        if (idle != null) {
            return promise.setSuccess(idle);
        }
        if (open) {
            openServer(loop);
        }
        armTimeout(waiter);
        return promise;
    }

    /**
     * Takes a backend back from a client that left it in a known state: rolls back an open transaction, runs the
     * reset query when {@code reset} is set (session pooling), then lends it to the next waiter or keeps it idle.
     */
    public void release(ServerConnection server, boolean reset) {
        server.detach();
        List<String> cleanup = new ArrayList<>(2);
        if (server.transactionStatus() != TransactionStatus.IDLE) {
            cleanup.add("ROLLBACK");
        }
        if (reset && !limits.resetQuery().isBlank()) {
            cleanup.add(limits.resetQuery());
        }
        if (cleanup.isEmpty()) {
            offer(server);
            return;
        }
        synchronized (this) {
            server.state = ServerState.USED;
        }
        server.execute(cleanup).addListener(f -> {
            if (f.isSuccess()) {
                if (reset) {
                    server.forgetUnreportedSettings();
                }
                offer(server);
            } else {
                log.info("{} failed its cleanup ({}); closing it", server, f.cause().getMessage());
                discard(server);
            }
        });
    }

    /** Closes a backend whose state is unknown (e.g. its client vanished mid-query); it is never reused. */
    public void discard(ServerConnection server) {
        server.detach();
        forget(server);
        server.close();
    }

    /** Called by the relay handler when a backend's socket closed, whoever held it. */
    void onServerClosed(ServerConnection server) {
        forget(server);
    }

    public synchronized PoolStats stats() {
        int idle = 0;
        int active = 0;
        int used = 0;
        for (ServerConnection s : servers) {
            switch (s.state) {
                case IDLE -> idle++;
                case ACTIVE -> active++;
                case USED -> used++;
                default -> {
                }
            }
        }
        return new PoolStats(idle, active, used, loggingIn, waiters.size());
    }

    /** Fails every waiter and closes every backend. */
    public void close() {
        List<Waiter> failed;
        List<ServerConnection> toClose;
        synchronized (this) {
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
            toClose = new ArrayList<>(servers);
        }
        PgException shutdown = new PgException(Severity.FATAL, SqlState.ADMIN_SHUTDOWN, "pgmux is shutting down");
        failed.forEach(w -> w.promise.tryFailure(shutdown));
        toClose.forEach(this::discard);
    }

    private ServerConnection takeIdle(EventLoop loop) {
        ServerConnection s = pollOpen(idleByLoop.get(loop));
        if (s == null) {
            for (ArrayDeque<ServerConnection> other : idleByLoop.values()) {
                s = pollOpen(other);
                if (s != null) {
                    break;
                }
            }
        }
        if (s != null) {
            s.state = ServerState.ACTIVE;
        }
        return s;
    }

    private static ServerConnection pollOpen(ArrayDeque<ServerConnection> idle) {
        if (idle == null) {
            return null;
        }
        ServerConnection s;
        // LIFO: the most recently used backend is the warmest, and the oldest ones can time out.
        while ((s = idle.pollLast()) != null) {
            if (s.isOpen()) {
                return s;
            }
        }
        return null;
    }

    private boolean reserveSlot() {
        if (size >= limits.maxSize()) {
            return false;
        }
        size++;
        loggingIn++;
        return true;
    }

    private void openServer(EventLoop loop) {
        connector.connect(this, target, loop).addListener((Future<ServerConnection> f) -> {
            if (f.isSuccess()) {
                ServerConnection server = f.getNow();
                if (loginParameters == null) {
                    loginParameters = Map.copyOf(server.reportedParameters());
                }
                synchronized (this) {
                    loggingIn--;
                    servers.add(server);
                }
                log.debug("{} logged in to {}", server, target);
                offer(server);
            } else {
                onOpenFailed(f.cause());
            }
        });
    }

    private void onOpenFailed(Throwable cause) {
        log.warn("pool {}: could not open a backend to {}: {}", key, target, cause.getMessage());
        Waiter waiter;
        synchronized (this) {
            size--;
            loggingIn--;
            waiter = waiters.poll();
        }
        // One failed attempt fails the client it was opened for; the others keep waiting for the open backends.
        if (waiter != null) {
            waiter.cancelTimeout();
            waiter.promise.tryFailure(cause);
        }
    }

    /** Gives a clean backend to the longest-waiting client, or puts it on the idle list. */
    private void offer(ServerConnection server) {
        if (!server.isOpen()) {
            forget(server);
            return;
        }
        while (true) {
            Waiter waiter;
            synchronized (this) {
                if (closed || !servers.contains(server)) {
                    server.close();
                    return;
                }
                waiter = waiters.poll();
                if (waiter == null) {
                    server.state = ServerState.IDLE;
                    idleByLoop.computeIfAbsent(server.eventLoop(), l -> new ArrayDeque<>()).addLast(server);
                    return;
                }
                server.state = ServerState.ACTIVE;
            }
            waiter.cancelTimeout();
            if (waiter.promise.trySuccess(server)) {
                return;
            }
        }
    }

    private void forget(ServerConnection server) {
        EventLoop reopenOn = null;
        synchronized (this) {
            if (!servers.remove(server)) {
                return;
            }
            server.state = ServerState.CLOSED;
            ArrayDeque<ServerConnection> idle = idleByLoop.get(server.eventLoop());
            if (idle != null) {
                idle.remove(server);
            }
            size--;
            // A waiter that counted on this backend would otherwise wait for nothing.
            if (!closed && !waiters.isEmpty() && reserveSlot()) {
                reopenOn = waiters.peek().loop;
            }
        }
        if (reopenOn != null) {
            openServer(reopenOn);
        }
    }

    private void armTimeout(Waiter waiter) {
        long millis = limits.queryWaitTimeout().toMillis();
        waiter.promise.addListener(f -> {
            if (f.isCancelled()) {
                removeWaiter(waiter);
            }
        });
        if (millis > 0 && !waiter.promise.isDone()) {
            waiter.timeout = waiter.loop.schedule(() -> {
                if (waiter.promise.tryFailure(new PgException(Severity.FATAL, SqlState.CANNOT_CONNECT_NOW,
                        "query_wait_timeout: no server connection in pool " + key + " became free within "
                                + millis + " ms"))) {
                    removeWaiter(waiter);
                }
            }, millis, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void removeWaiter(Waiter waiter) {
        waiters.remove(waiter);
    }

    /** A client queued for a backend. */
    private static final class Waiter {
        final EventLoop loop;
        final Promise<ServerConnection> promise;
        volatile ScheduledFuture<?> timeout;

        Waiter(EventLoop loop, Promise<ServerConnection> promise) {
            this.loop = loop;
            this.promise = promise;
        }

        void cancelTimeout() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
