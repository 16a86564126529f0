// Every logged-in client, for SHOW CLIENTS, per-pool client gauges, KILL and draining.
package io.pgmux.server.metrics;

import io.netty.channel.Channel;
import io.pgmux.pool.PoolKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clients past authentication, by connection id, and the {@link PoolMeters} of every (database, user) pair
 * that ever had a client. A client is added once at login and removed by its channel's close future, so the list
 * never outlives the sockets.
 *
 * <p>Threading: any thread. Joining and leaving are a map put/remove and an atomic add, once per connection, never
 * per message.
 */
public final class ClientDirectory {
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, ClientEntry> clients = new ConcurrentHashMap<>();
    private final Map<PoolKey, PoolMeters> meters = new ConcurrentHashMap<>();
    private final LongAdder logins = new LongAdder();
    private final LongAdder logouts = new LongAdder();

    /** The figures of the pool (database, user), created on first use and kept for the life of the server. */
    public PoolMeters meters(String database, String user) {
        return meters.computeIfAbsent(new PoolKey(database, user), PoolMeters::new);
    }

    public Collection<PoolMeters> allMeters() {
        return meters.values();
    }

    /**
     * Records a client that finished authenticating, counts it towards its pool (unless {@code console}) and
     * points the channel's {@link TrafficCounter}, if it has one, at that pool.
     */
    public ClientEntry loggedIn(Channel channel, String database, String user, boolean console) {
        return loggedIn(channel, database, user, console, "");
    }

    /** As {@link #loggedIn(Channel, String, String, boolean)}, with the application_name of the startup packet. */
    public ClientEntry loggedIn(Channel channel, String database, String user, boolean console,
                                String applicationName) {
        PoolMeters pool = console ? null : meters(database, user);
        ClientEntry entry = new ClientEntry(ids.incrementAndGet(), database, user, channel,
                System.currentTimeMillis(), pool, applicationName == null ? "" : applicationName);
        clients.put(entry.id(), entry);
        logins.increment();
        if (pool != null) {
            pool.clientJoined();
            TrafficCounter traffic = channel.pipeline().get(TrafficCounter.class);
            if (traffic != null) {
                traffic.countFor(pool);
            }
        }
        channel.closeFuture().addListener(f -> {
            if (clients.remove(entry.id()) != null) {
                logouts.increment();
                if (pool != null) {
                    pool.clientLeft();
                }
            }
        });
        return entry;
    }

    /** A copy of the current list, oldest login first. */
    public List<ClientEntry> clients() {
        List<ClientEntry> all = new ArrayList<>(clients.values());
        all.sort((a, b) -> Long.compare(a.id(), b.id()));
        return all;
    }

    /** Clients that completed a login since start (console clients included). */
    public long logins() {
        return logins.sum();
    }

    /** Logged-in clients that disconnected since start. */
    public long logouts() {
        return logouts.sum();
    }

    public int size() {
        return clients.size();
    }
}
