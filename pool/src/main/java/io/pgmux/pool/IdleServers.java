// The idle backends of one pool, kept per event loop so a client is preferably given a backend on its own thread.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle backends by event loop. Each list is in the order the backends became idle, and lending takes from its end:
 * the most recently used backend is the warmest, and the least recently used ones age towards server_idle_timeout.
 * Not thread-safe: the owning {@link Pool} guards it with its monitor.
 */
final class IdleServers {
    private final Map<EventLoop, ArrayDeque<ServerConnection>> byLoop = new HashMap<>();

    /** Puts a backend on its loop's list; {@link ServerConnection#idleSinceNanos} must be set by the caller. */
    void add(ServerConnection server) {
        byLoop.computeIfAbsent(server.eventLoop(), loop -> new ArrayDeque<>()).addLast(server);
    }

    /**
     * The most recently idle open backend, preferring one on {@code loop}; null when there is none. Backends whose
     * socket already closed are dropped on the way (the pool forgets them when their close event arrives).
     */
    ServerConnection take(EventLoop loop) {
        ServerConnection server = takeOpen(byLoop.get(loop));
        if (server != null) {
            return server;
        }
        for (ArrayDeque<ServerConnection> other : byLoop.values()) {
            server = takeOpen(other);
            if (server != null) {
                return server;
            }
        }
        return null;
    }

    /** The backend idle for the longest time, removed; null when there is none. */
    ServerConnection takeLeastRecentlyUsed() {
        ArrayDeque<ServerConnection> oldestList = null;
        for (ArrayDeque<ServerConnection> list : byLoop.values()) {
            ServerConnection head = list.peekFirst();
            if (head != null && (oldestList == null || head.idleSinceNanos - oldestList.peekFirst().idleSinceNanos < 0)) {
                oldestList = list;
            }
        }
        return oldestList == null ? null : oldestList.pollFirst();
    }

    boolean remove(ServerConnection server) {
        ArrayDeque<ServerConnection> list = byLoop.get(server.eventLoop());
        return list != null && list.remove(server);
    }

    int count() {
        int count = 0;
        for (ArrayDeque<ServerConnection> list : byLoop.values()) {
            count += list.size();
        }
        return count;
    }

    /**
     * Removes and returns the backends to close: every one older than {@code lifetimeNanos}, then those idle longer
     * than {@code idleTimeoutNanos}, least recently used first, while fewer than {@code closable} were taken in all.
     * Lifetime wins over the minimum because an old backend must go anyway; the pool re-opens a fresh one.
     */
    List<ServerConnection> expire(long now, long lifetimeNanos, long idleTimeoutNanos, int closable) {
        List<ServerConnection> old = new ArrayList<>();
        List<ServerConnection> unused = new ArrayList<>();
        for (ArrayDeque<ServerConnection> list : byLoop.values()) {
            for (ServerConnection server : list) {
                if (server.ageNanos() >= lifetimeNanos) {
                    old.add(server);
                } else if (now - server.idleSinceNanos >= idleTimeoutNanos) {
                    unused.add(server);
                }
            }
        }
        unused.sort(Comparator.comparingLong(server -> server.idleSinceNanos));
        List<ServerConnection> expired = new ArrayList<>(old);
        int more = Math.max(0, closable - old.size());
        expired.addAll(unused.subList(0, Math.min(more, unused.size())));
        expired.forEach(this::remove);
        return expired;
    }

    private static ServerConnection takeOpen(ArrayDeque<ServerConnection> list) {
        if (list == null) {
            return null;
        }
        ServerConnection server;
        while ((server = list.pollLast()) != null) {
            if (server.isOpen()) {
                return server;
            }
        }
        return null;
    }
}
