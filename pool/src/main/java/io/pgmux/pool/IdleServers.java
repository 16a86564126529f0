// The idle backends of one pool, by host and then by event loop: hosts take turns, a client's own loop comes first.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.pgmux.config.HostPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Idle backends by host, then by event loop. Lending takes from the hosts in turn (round robin per transaction, so
 * the reads of a pool of standbys spread over them even when few clients are busy), and within a host preferably
 * from the client's own loop. Each list is in the order the backends became idle, and lending takes from its end:
 * the most recently used backend is the warmest, and the least recently used ones age towards server_idle_timeout.
<<<<<<< HEAD
 * With one host this is exactly "the most recent idle backend, on the client's loop if possible". Once backends are
 * open on several hosts the ledger lends through {@link #takeOn} instead, the host chosen by {@link HostShares}.
=======
 * With one host this is exactly "the most recent idle backend, on the client's loop if possible". With
 * server_round_robin, lending takes the least recently used backend of the host instead, whatever its loop (FIFO, as
 * PgBouncer does): behind a load balancer or a DNS name with several addresses every backend then gets its share.
>>>>>>> i17-dropin
 * Not thread-safe: the owning {@link PoolLedger} guards it with its monitor.
 */
final class IdleServers {
    /** The idle backends on one host, by loop. */
    private static final class OnHost {
        final HostPort address;
        final Map<EventLoop, ArrayDeque<ServerConnection>> byLoop = new HashMap<>();

        OnHost(HostPort address) {
            this.address = address;
        }
    }

    private final Map<HostPort, OnHost> byHost = new HashMap<>();
    /** The same hosts in the order lending visits them; a reload may leave empty entries of old hosts behind. */
    private final List<OnHost> rotation = new ArrayList<>();
    /** Index in {@link #rotation} of the host to lend from first next time. */
    private int turn;

    /** Puts a backend on its loop's list; {@link ServerConnection#idleSinceNanos} must be set by the caller. */
    void add(ServerConnection server) {
        HostPort address = hostOf(server);
        OnHost host = byHost.get(address);
        if (host == null) {
            host = new OnHost(address);
            byHost.put(address, host);
            rotation.add(host);
        }
        host.byLoop.computeIfAbsent(server.eventLoop(), loop -> new ArrayDeque<>()).addLast(server);
    }

    /**
     * The most recently idle open backend of the next host in turn that has one, preferring one on {@code loop};
     * null when there is none. Backends whose socket already closed are dropped on the way (the pool forgets them
     * when their close event arrives).
     */
    ServerConnection take(EventLoop loop) {
        return take(loop, false);
    }

    /**
     * As {@link #take(EventLoop)}; with {@code leastRecentlyUsed} (server_round_robin) the backend of the host in
     * turn that has been idle longest, on any loop.
     */
    ServerConnection take(EventLoop loop, boolean leastRecentlyUsed) {
        int hosts = rotation.size();
        for (int i = 0; i < hosts; i++) {
            int at = (turn + i) % hosts;
            ServerConnection server = leastRecentlyUsed ? takeOldest(rotation.get(at)) : take(rotation.get(at), loop);
            if (server != null) {
                turn = (at + 1) % hosts;
                return server;
            }
        }
        return null;
    }

    /**
     * The most recently idle open backend on {@code address}, preferring one on {@code loop}; null when there is
     * none; with {@code leastRecentlyUsed} (server_round_robin) the one idle longest, on any loop. For lending by
     * {@link HostShares}, which picks the host itself.
     */
    ServerConnection takeOn(HostPort address, EventLoop loop, boolean leastRecentlyUsed) {
        OnHost host = byHost.get(address);
        if (host == null) {
            return null;
        }
        return leastRecentlyUsed ? takeOldest(host) : take(host, loop);
    }

    private static ServerConnection take(OnHost host, EventLoop loop) {
        ServerConnection server = takeOpen(host.byLoop.get(loop));
        if (server != null) {
            return server;
        }
        for (ArrayDeque<ServerConnection> other : host.byLoop.values()) {
            server = takeOpen(other);
            if (server != null) {
                return server;
            }
        }
        return null;
    }

    /** The open backend of {@code host} idle for the longest time, removed; closed ones on the way are dropped. */
    private static ServerConnection takeOldest(OnHost host) {
        while (true) {
            ArrayDeque<ServerConnection> oldest = null;
            for (ArrayDeque<ServerConnection> list : host.byLoop.values()) {
                ServerConnection head = list.peekFirst();
                if (head != null && (oldest == null || head.idleSinceNanos - oldest.peekFirst().idleSinceNanos < 0)) {
                    oldest = list;
                }
            }
            if (oldest == null) {
                return null;
            }
            ServerConnection server = oldest.pollFirst();
            if (server.isOpen()) {
                return server;
            }
        }
    }

    /** Every idle backend on {@code address}, removed. */
    List<ServerConnection> takeAllOn(HostPort address) {
        OnHost host = byHost.get(address);
        List<ServerConnection> taken = new ArrayList<>();
        if (host != null) {
            host.byLoop.values().forEach(list -> {
                taken.addAll(list);
                list.clear();
            });
        }
        return taken;
    }

    /** The backend idle for the longest time, removed; null when there is none. */
    ServerConnection takeLeastRecentlyUsed() {
        ArrayDeque<ServerConnection> oldestList = null;
        for (OnHost host : rotation) {
            for (ArrayDeque<ServerConnection> list : host.byLoop.values()) {
                ServerConnection head = list.peekFirst();
                if (head != null && (oldestList == null
                        || head.idleSinceNanos - oldestList.peekFirst().idleSinceNanos < 0)) {
                    oldestList = list;
                }
            }
        }
        return oldestList == null ? null : oldestList.pollFirst();
    }

    boolean remove(ServerConnection server) {
        OnHost host = byHost.get(hostOf(server));
        ArrayDeque<ServerConnection> list = host == null ? null : host.byLoop.get(server.eventLoop());
        return list != null && list.remove(server);
    }

    int count() {
        int count = 0;
        for (OnHost host : rotation) {
            for (ArrayDeque<ServerConnection> list : host.byLoop.values()) {
                count += list.size();
            }
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
        for (OnHost host : rotation) {
            for (ArrayDeque<ServerConnection> list : host.byLoop.values()) {
                for (ServerConnection server : list) {
                    if (server.ageNanos() >= lifetimeNanos) {
                        old.add(server);
                    } else if (now - server.idleSinceNanos >= idleTimeoutNanos) {
                        unused.add(server);
                    }
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

    /** The host a backend was opened on: its target narrowed to that one host. */
    static HostPort hostOf(ServerConnection server) {
        return server.target().hosts().get(0);
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
