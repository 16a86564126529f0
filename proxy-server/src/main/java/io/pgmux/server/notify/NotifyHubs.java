// The listening connections of one running pgmux, one per pool that has listening clients.
package io.pgmux.server.notify;

import io.netty.channel.EventLoop;
import io.pgmux.pool.Pool;
import io.pgmux.pool.ServerConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link NotifyHub} per pool, created for the pool's first listening client on that client's loop, and the
 * figures of them all. One per running server, made with it and reached through its context (sessions), its
 * control (the console) and its metrics; nothing is shared between two servers in one process.
 *
 * <p>Threading: any thread; hubs are created through a concurrent map.
 */
public final class NotifyHubs {
    private final Map<Pool, NotifyHub> hubs = new ConcurrentHashMap<>();
    private final NotifyFigures figures = new NotifyFigures();

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
