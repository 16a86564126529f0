package io.pgmux.server.session;

import io.netty.util.concurrent.EventExecutor;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.Timeouts;
import io.pgmux.config.UserConfig;
import io.pgmux.config.UserLimits;
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
 * query_wait_notify, transaction_timeout) of every session with one periodic task per event loop, instead of a timer
 * per session that would be rescheduled on every message. Each loop's task only touches the sessions of that loop.
 *
 * <p>A user's own timeouts (its query_timeout, idle_transaction_timeout, client_idle_timeout) apply to its sessions.
 * Every sweep reads the timeouts in force, so a RELOAD that changes one, or turns one on that was off at
 * start-up, applies to the clients already connected from the next sweep on. While all of them are off, a sweep
 * only looks at the configuration, once per {@link #IDLE_TICK_NANOS}.
 */
public final class TimeoutSweeper {
    /** How often a loop looks again while no client timeout is on: a reload turning one on waits at most this. */
    static final long IDLE_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SHORTEST_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** What a configuration asks of the sweeps, worked out once per configuration (a reload makes a new one). */
    private record Plan(PgmuxConfig config, boolean anyOn, long tickNanos) {
    }

    private final Supplier<PgmuxConfig> config;
    private final Map<EventExecutor, Set<ClientSession>> byLoop = new ConcurrentHashMap<>();
    private volatile Plan plan;

    /** @param config the configuration in force (the live one), read at every sweep */
    public TimeoutSweeper(Supplier<PgmuxConfig> config) {
        this.config = config;
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
     * A quarter of the shortest timeout that is on, for any user, keeps each one within 25% of its value, and a sweep
     * runs at most every 10 ms and at least every second.
     */
    static long tickNanos(PgmuxConfig config) {
        long shortest = timeoutsOn(config).mapToLong(Duration::toNanos).min().orElse(0);
        return shortest == 0 ? IDLE_TICK_NANOS
                : Math.max(SHORTEST_TICK_NANOS, Math.min(IDLE_TICK_NANOS, shortest / 4));
    }

    /** The client timeouts that are on: the timeouts section's, and those users set for themselves. */
    private static Stream<Duration> timeoutsOn(PgmuxConfig config) {
        Timeouts t = config.timeouts();
        Stream<Duration> global = Stream.of(t.clientIdleTimeout(), t.idleTransactionTimeout(), t.queryTimeout(),
                t.queryWaitNotify(), t.transactionTimeout());
        Stream<Duration> users = config.users().values().stream().map(UserConfig::limits)
                .filter(UserLimits::hasTimeouts)
                .flatMap(l -> Stream.of(l.queryTimeout(), l.idleTransactionTimeout(), l.clientIdleTimeout()));
        return Stream.concat(global, users).filter(d -> d != null && !d.isZero() && !d.isNegative());
    }

    private Plan planFor(PgmuxConfig inForce) {
        Plan current = plan;
        if (current == null || current.config() != inForce) {
            current = new Plan(inForce, timeoutsOn(inForce).findAny().isPresent(), tickNanos(inForce));
            plan = current;
        }
        return current;
    }

    private Set<ClientSession> startSweeping(EventExecutor loop) {
        Set<ClientSession> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
        loop.schedule(() -> sweep(loop, sessions), planFor(config.get()).tickNanos(), TimeUnit.NANOSECONDS);
        return sessions;
    }

    /** One sweep on {@code loop}, then the next one, after the tick the configuration in force asks for. */
    private void sweep(EventExecutor loop, Set<ClientSession> sessions) {
        PgmuxConfig inForce = config.get();
        Plan current = planFor(inForce);
        if (current.anyOn()) {
            long now = System.nanoTime();
            for (ClientSession session : sessions.toArray(new ClientSession[0])) {
                session.checkTimeouts(now, inForce);
            }
        }
        if (!loop.isShuttingDown()) {
            loop.schedule(() -> sweep(loop, sessions), current.tickNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
