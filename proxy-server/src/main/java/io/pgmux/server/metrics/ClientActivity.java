// What a logged-in client is doing, as SHOW CLIENTS reports it.
package io.pgmux.server.metrics;

/**
 * The state of one client session for the console. Implemented by the session handler, found in the client's
 * pipeline under the name {@code session}. Hazard: read from the console's event loop while the session changes it
 * on its own, without synchronisation; the answer is a snapshot that may be a moment old, which is all a listing
 * needs, and never blocks or slows the session.
 */
public interface ClientActivity {

    /** {@code active} while it holds a server connection, {@code waiting} while it waits for one, else {@code idle}. */
    String activityState();

    /** The id of the server connection it holds (SHOW SERVERS' {@code id}), or -1. */
    long linkedServerId();
}
