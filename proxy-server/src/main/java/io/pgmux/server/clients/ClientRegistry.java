// Every connected client: admission, cancel keys, the logged-in list and the figures of each pool's clients.
package io.pgmux.server.clients;

import io.netty.channel.Channel;
import io.pgmux.pool.PoolKey;
import io.pgmux.protocol.auth.ThreadRandom;
import io.pgmux.server.metrics.ClientEntry;
import io.pgmux.server.metrics.ClientFigures;
import io.pgmux.server.metrics.PoolMeters;
import io.pgmux.server.metrics.TrafficCounter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one registry of connected clients, read by the sessions, the admin console and the metrics alike:
 * <ul>
 *   <li>sockets: counted against max_client_conn from accept to close ({@link #admit}, {@link #leave});</li>
 *   <li>cancel keys: the BackendKeyData pgmux gave each session, so a CancelRequest finds the query to cancel;</li>
 *   <li>logins: the clients past authentication, as SHOW CLIENTS lists them and KILL closes them, each removed by
 *       its channel's close future so the list never outlives the sockets;</li>
 *   <li>logins per database and per user, against max_db_client_connections and max_user_client_connections
 *       ({@link #admitLogin});</li>
 *   <li>the {@link PoolMeters} of every (database, user) pair that ever had a client, kept for the server's life.</li>
 * </ul>
 *
 * <p>Threading: any thread. Every change is a map put/remove or an atomic add, once per connection, never per
 * message.
 */
public final class ClientRegistry implements ClientFigures {
    private final int maxClients;
    private final AtomicInteger connected = new AtomicInteger();
    /** Connections accepted and refused over max_client_conn since start, for the metrics (once per connection). */
    private final LongAdder received = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicInteger nextProcessId = new AtomicInteger();
    private final Map<Integer, Cancellable> byProcessId = new ConcurrentHashMap<>();
    private final AtomicLong loginIds = new AtomicLong();
    private final Map<Long, ClientEntry> loggedIn = new ConcurrentHashMap<>();
    private final LongAdder logins = new LongAdder();
    private final LongAdder logouts = new LongAdder();
    private final Map<PoolKey, PoolMeters> meters = new ConcurrentHashMap<>();
    private final LoginLimits loginLimits = new LoginLimits();

    private final PeerKeys peerKeys;

    @Override
    public int maxClients() {
        return maxClients;
    }

    public ClientRegistry(int maxClients) {
        this(maxClients, PeerKeys.NONE);
    }

    /** @param peerKeys how cancel keys name this replica among its peers ({@link PeerKeys#NONE} without peers) */
    public ClientRegistry(int maxClients, PeerKeys peerKeys) {
        this.maxClients = maxClients;
        this.peerKeys = peerKeys;
    }

    /** Counts a new connection; false means it is over max_client_conn and must be turned away. */
    boolean admit() {
        received.increment();
        if (connected.incrementAndGet() > maxClients) {
            connected.decrementAndGet();
            refused.increment();
            return false;
        }
        return true;
    }

    /** The end of a connection {@link #admit} let in. */
    void leave() {
        connected.decrementAndGet();
    }

    @Override
    public int connected() {
        return connected.get();
    }

    @Override
    public long received() {
        return received.sum();
    }

    @Override
    public long refused() {
        return refused.sum();
    }

    /**
     * Counts an authenticated client against its database's and user's client limits until its channel closes.
     * Called before {@link #loggedIn}, for clients of a database only (the console is never limited).
     *
     * @param maxDb   max_db_client_connections in force for {@code database}, 0 = unlimited
     * @param maxUser max_user_client_connections in force for {@code user}, 0 = unlimited
     * @throws io.pgmux.protocol.PgException FATAL 53300 {@code client connections exceeded (...)} over a limit
     */
    public void admitLogin(Channel channel, String database, String user, int maxDb, int maxUser) {
        loginLimits.admit(channel, database, user, maxDb, maxUser);
    }

    /** A fresh cancel key for a client: a unique process id and a secret from a secure random source. */
    public ClientKey newKey() {
        int pid;
        do {
            pid = peerKeys.processId(nextProcessId.incrementAndGet());
        } while (pid == 0 || byProcessId.containsKey(pid));
        return new ClientKey(pid, ThreadRandom.get().nextInt()); // unguessable: it authorizes cancels
    }

    /** Makes {@code key} reach {@code cancel} until {@link #unregister}; cancelling must not block. */
    public void register(ClientKey key, Runnable cancel) {
        byProcessId.put(key.processId(), new Cancellable(key, cancel));
    }

    public void unregister(ClientKey key) {
        byProcessId.computeIfPresent(key.processId(), (pid, entry) -> entry.key().equals(key) ? null : entry);
    }

    /**
     * Cancels the running query of the client holding this key; nothing happens when the key is unknown or the
     * secret is wrong (the secret is compared in constant time).
     *
     * @return whether a client was found
     */
    public boolean cancel(int processId, int secret) {
        Cancellable entry = byProcessId.get(processId);
        if (entry == null || !entry.key().matches(secret)) {
            return false;
        }
        entry.cancel().run();
        return true;
    }

    /**
     * Records a client that finished authenticating, counts it towards its pool (unless {@code console}) and
     * points the channel's {@link TrafficCounter}, if it has one, at that pool.
     *
     * @param applicationName the application_name of the startup packet, or null
     */
    public ClientEntry loggedIn(Channel channel, String database, String user, boolean console,
                                String applicationName) {
        PoolMeters pool = console ? null : meters(database, user);
        ClientEntry entry = new ClientEntry(loginIds.incrementAndGet(), database, user, channel,
                System.currentTimeMillis(), pool, applicationName == null ? "" : applicationName);
        loggedIn.put(entry.id(), entry);
        logins.increment();
        if (pool != null) {
            pool.clientJoined();
            TrafficCounter traffic = channel.pipeline().get(TrafficCounter.class);
            if (traffic != null) {
                traffic.countFor(pool);
            }
        }
        channel.closeFuture().addListener(f -> {
            if (loggedIn.remove(entry.id()) != null) {
                logouts.increment();
                if (pool != null) {
                    pool.clientLeft();
                }
            }
        });
        return entry;
    }

    /** A copy of the logged-in clients, oldest login first: what SHOW CLIENTS lists and KILL closes. */
    public List<ClientEntry> loggedInClients() {
        List<ClientEntry> all = new ArrayList<>(loggedIn.values());
        all.sort((a, b) -> Long.compare(a.id(), b.id()));
        return all;
    }

    @Override
    public int loggedIn() {
        return loggedIn.size();
    }

    @Override
    public long logins() {
        return logins.sum();
    }

    @Override
    public long logouts() {
        return logouts.sum();
    }

    @Override
    public PoolMeters meters(String database, String user) {
        return meters.computeIfAbsent(new PoolKey(database, user), PoolMeters::new);
    }

    @Override
    public Collection<PoolMeters> allMeters() {
        return meters.values();
    }

    /** A registered cancel key and what cancelling its client does. */
    private record Cancellable(ClientKey key, Runnable cancel) {
    }
}
