package io.pgmux.server;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every connected client: enforces max_client_conn and maps the BackendKeyData pgmux gave each client back to
 * its session, so a CancelRequest can find the backend that client is using.
 */
final class ClientRegistry {
    private final int maxClients;
    private final AtomicInteger connected = new AtomicInteger();
    /** Connections accepted and refused over max_client_conn since start, for the metrics (once per connection). */
    private final LongAdder received = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicInteger nextProcessId = new AtomicInteger();
    private final Map<Integer, ClientSession> byProcessId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    ClientRegistry(int maxClients) {
        this.maxClients = maxClients;
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

    void leave() {
        connected.decrementAndGet();
    }

    int connectedCount() {
        return connected.get();
    }

    long receivedTotal() {
        return received.sum();
    }

    long refusedTotal() {
        return refused.sum();
    }

    /** A fresh cancel key for a client: a unique process id and a secret from a secure random source. */
    ClientKey newKey() {
        int pid;
        do {
            pid = nextProcessId.incrementAndGet() & Integer.MAX_VALUE;
        } while (pid == 0 || byProcessId.containsKey(pid));
        return new ClientKey(pid, random.nextInt());
    }

    void register(ClientSession session) {
        byProcessId.put(session.key().processId(), session);
    }

    void unregister(ClientSession session) {
        byProcessId.remove(session.key().processId(), session);
    }

    /** The session holding this key, or null when the key is unknown or the secret is wrong. */
    ClientSession find(int processId, int secret) {
        ClientSession session = byProcessId.get(processId);
        return session != null && session.key().matches(secret) ? session : null;
    }

    Collection<ClientSession> sessions() {
        return byProcessId.values();
    }
}
