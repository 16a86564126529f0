// What the metrics and the console read of the connected clients.
package io.pgmux.server.metrics;

import java.util.Collection;

/**
 * The client figures published at each scrape, as the registry of connected clients keeps them. An interface so
 * that the metrics need nothing of the client pipeline that fills the registry.
 *
 * <p>Threading: any thread; every figure is read without a lock.
 */
public interface ClientFigures {
    /** Client sockets open now, logged in or not, as counted against max_client_conn. */
    int connected();

    /** Connections accepted by the listener since start. */
    long received();

    /** Connections refused over max_client_conn since start. */
    long refused();

    /** Clients past authentication now, console clients included. */
    int loggedIn();

    /** Clients that completed a login since start, console clients included. */
    long logins();

    /** Logged-in clients that disconnected since start. */
    long logouts();

    /** max_client_conn: client sockets accepted at most; 0 when not known. */
    default int maxClients() {
        return 0;
    }

    /** The figures of the pool (database, user), created on first use and kept for the life of the server. */
    PoolMeters meters(String database, String user);

    /** The figures of every pool that ever had a client. */
    Collection<PoolMeters> allMeters();
}
