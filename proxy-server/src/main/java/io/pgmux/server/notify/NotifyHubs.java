// The listening connections of one running pgmux, one per pool that has listening clients.
package io.pgmux.server.notify;

import io.netty.channel.EventLoop;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.pool.ServerConnection;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link NotifyHub} per pool, created for the pool's first listening client on that client's loop, and the
 * figures of them all. Found through the server's {@link PoolRegistry} ({@link #of}), so that fan-out adds nothing to
 * the records every session shares; a registry that is gone takes its hubs with it.
 */
public final class NotifyHubs {
    private static final Map<PoolRegistry, NotifyHubs> BY_REGISTRY = new WeakHashMap<>();

    private final Map<Pool, NotifyHub> hubs = new ConcurrentHashMap<>();
    private final NotifyFigures figures = new NotifyFigures();

    private NotifyHubs() {
    }

    /** The hubs of the server whose pools are {@code pools}. */
    public static NotifyHubs of(PoolRegistry pools) {
        synchronized (BY_REGISTRY) {
            return BY_REGISTRY.computeIfAbsent(pools, p -> new NotifyHubs());
        }
    }

    /** The hub of {@code pool}, created on {@code loop} if it has none yet. */
    NotifyHub hub(Pool pool, EventLoop loop) {
        return hubs.computeIfAbsent(pool, p -> new NotifyHub(p, loop, figures));
    }

    public NotifyFigures figures() {
        return figures;
    }

    /** Channels listened on now, over every pool. */
    public int channels() {
        return hubs.values().stream().mapToInt(NotifyHub::channels).sum();
    }

    /** Whether {@code server} is the listening connection of its pool, for SHOW SERVERS. */
    public boolean isListening(ServerConnection server) {
        NotifyHub hub = hubs.get(server.pool());
        return hub != null && hub.listensOn(server);
    }

    /** Channels the listening connection of {@code pool} LISTENs on now; 0 without one. */
    public int channels(Pool pool) {
        NotifyHub hub = hubs.get(pool);
        return hub == null ? 0 : hub.channels();
    }
}
