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
import java.util.stream.Stream;

/**
 * Checks the client-side timeouts (client_idle_timeout, idle_transaction_timeout, query_timeout,
 * query_wait_notify) of every session with one periodic task per event loop, instead of a timer per session
 * that would be rescheduled on every message. Each loop's task only touches the sessions of that loop.
 */
public final class TimeoutSweeper {
    private final long tickNanos;
    private final Map<EventExecutor, Set<ClientSession>> byLoop = new ConcurrentHashMap<>();

    public TimeoutSweeper(Timeouts timeouts) {
        long shortest = Stream.of(timeouts.clientIdleTimeout(), timeouts.idleTransactionTimeout(),
                        timeouts.queryTimeout(), timeouts.queryWaitNotify())
                .filter(d -> !d.isZero() && !d.isNegative())
                .mapToLong(Duration::toNanos).min().orElse(0);
        // A quarter of the shortest timeout keeps each one within 25% of its value, at most once per second.
        this.tickNanos = shortest == 0 ? 0
                : Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 4));
    }

    /** Called on the session's event loop. */
    void register(ClientSession session, EventExecutor loop) {
        if (tickNanos == 0) {
            return;
        }
        byLoop.computeIfAbsent(loop, this::startSweeping).add(session);
    }

    /** Called on the session's event loop. */
    void unregister(ClientSession session, EventExecutor loop) {
        Set<ClientSession> sessions = byLoop.get(loop);
        if (sessions != null) {
            sessions.remove(session);
        }
    }

    private Set<ClientSession> startSweeping(EventExecutor loop) {
        Set<ClientSession> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
        loop.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (ClientSession session : sessions.toArray(new ClientSession[0])) {
                session.checkTimeouts(now);
            }
        }, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        return sessions;
    }
}
