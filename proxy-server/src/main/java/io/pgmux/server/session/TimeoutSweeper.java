package io.pgmux.server.session;

import io.netty.util.concurrent.EventExecutor;
import io.pgmux.config.Timeouts;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Checks the client-side timeouts (client_idle_timeout, idle_transaction_timeout, query_timeout,
 * query_wait_notify, transaction_timeout) of every session with one periodic task per event loop, instead of a timer per session
 * that would be rescheduled on every message. Each loop's task only touches the sessions of that loop.
 *
 * <p>Every sweep reads the timeouts in force, so a RELOAD that changes one, or turns one on that was off at
 * start-up, applies to the clients already connected from the next sweep on. While all of them are off, a sweep
 * only looks at the configuration, once per {@link #IDLE_TICK_NANOS}.
 */
public final class TimeoutSweeper {
    /** How often a loop looks again while no client timeout is on: a reload turning one on waits at most this. */
    static final long IDLE_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SHORTEST_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Supplier<Timeouts> timeouts;
    private final Map<EventExecutor, Set<ClientSession>> byLoop = new ConcurrentHashMap<>();

    /** @param timeouts the timeouts in force (the live configuration's), read at every sweep */
    public TimeoutSweeper(Supplier<Timeouts> timeouts) {
        this.timeouts = timeouts;
    }

    /** Called on the session's event loop. */
    void register(ClientSession session, EventExecutor loop) {
        byLoop.computeIfAbsent(loop, this::startSweeping).add(session);
    }

    /** Called on the session's event loop. */
    void unregister(ClientSession session, EventExecutor loop) {
        Set<ClientSession> sessions = byLoop.get(loop);
        if (sessions != null) {
            sessions.remove(session);
        }
    }

    /**
     * A quarter of the shortest timeout that is on keeps each one within 25% of its value, and a sweep runs at most
     * every 10 ms and at least every second.
     */
    static long tickNanos(Timeouts timeouts) {
        long shortest = Stream.of(timeouts.clientIdleTimeout(), timeouts.idleTransactionTimeout(),
                        timeouts.queryTimeout(), timeouts.queryWaitNotify(), timeouts.transactionTimeout())
                .filter(d -> !d.isZero() && !d.isNegative())
                .mapToLong(Duration::toNanos).min().orElse(0);
        return shortest == 0 ? IDLE_TICK_NANOS
                : Math.max(SHORTEST_TICK_NANOS, Math.min(IDLE_TICK_NANOS, shortest / 4));
    }

    private static boolean anyOn(Timeouts t) {
        return isOn(t.clientIdleTimeout()) || isOn(t.idleTransactionTimeout()) || isOn(t.queryTimeout())
                || isOn(t.queryWaitNotify()) || isOn(t.transactionTimeout());
    }

    private static boolean isOn(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private Set<ClientSession> startSweeping(EventExecutor loop) {
        Set<ClientSession> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
        loop.schedule(() -> sweep(loop, sessions), tickNanos(timeouts.get()), TimeUnit.NANOSECONDS);
        return sessions;
    }

    /** One sweep on {@code loop}, then the next one, after the tick the configuration in force asks for. */
    private void sweep(EventExecutor loop, Set<ClientSession> sessions) {
        Timeouts inForce = timeouts.get();
        if (anyOn(inForce)) {
            long now = System.nanoTime();
            for (ClientSession session : sessions.toArray(new ClientSession[0])) {
                session.checkTimeouts(now, inForce);
            }
        }
        if (!loop.isShuttingDown()) {
            loop.schedule(() -> sweep(loop, sessions), tickNanos(inForce), TimeUnit.NANOSECONDS);
        }
    }
}
