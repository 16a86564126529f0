// How a pool opens a new backend: the seam between pool bookkeeping and the network.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * Opens and logs in one backend for a {@link Pool}. {@link ServerConnector} does it over TCP (or TLS) to
 * PostgreSQL; tests put a scripted fake backend behind the same {@link ServerLoginHandler} and
 * {@link ServerRelayHandler}, so the pool can be exercised without a database.
 *
 * <p>Contract: the future completes exactly once, with a logged-in {@link ServerConnection} of {@code pool} whose
 * channel is registered on {@code loop} and whose frames pass through a {@link ServerRelayHandler}, or with the
 * reason it failed (a {@link io.pgmux.protocol.PgException} for the client). It must complete within the connector's
 * own time limit: the pool counts a backend as logging in until it does. May be called from any thread.
 */
public interface BackendConnector {

    /**
     * Connects to {@code target} on {@code loop} (the loop of the client that needs it, so that the pair shares one
     * thread) and completes when the backend sent its first ReadyForQuery.
     */
    Future<ServerConnection> connect(Pool pool, BackendTarget target, EventLoop loop);
}
