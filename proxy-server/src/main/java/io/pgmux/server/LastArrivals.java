// After a graceful listener close: lets the clients accepted just before it start their first transaction.
package io.pgmux.server;

import io.pgmux.pool.PoolRegistry;
import io.pgmux.server.metrics.ClientFigures;
import java.util.concurrent.TimeUnit;

/**
 * The step between closing the listener and pausing the pools in a graceful shutdown ({@code shutdown_grace} set).
 * A client accepted in the last moments before the listener closed is still logging in, or has just sent its first
 * query; pausing the pools at once would leave it waiting until the drain closes it, a failed client for every
 * rolling restart. So the pools keep lending until no client is logging in or waiting for a backend (at least
 * {@link #MIN_MILLIS}, which covers the round trip between a login and the first query, and at most
 * {@link #MAX_MILLIS}). Clients that stay connected are closed by the drain as before.
 */
final class LastArrivals {
    static final long MIN_MILLIS = 300;
    static final long MAX_MILLIS = 2000;
    private static final long POLL_MILLIS = 20;

    private LastArrivals() {
    }

    /** Blocks the calling (signal) thread; returns early when interrupted. */
    static void await(ClientFigures clients, PoolRegistry pools) {
        long start = System.nanoTime();
        long min = start + TimeUnit.MILLISECONDS.toNanos(MIN_MILLIS);
        long max = start + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
        try {
            while (System.nanoTime() < max && (System.nanoTime() < min || arriving(clients, pools))) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean arriving(ClientFigures clients, PoolRegistry pools) {
        return clients.connected() > clients.loggedIn()
                || pools.pools().stream().anyMatch(p -> p.admin().maxWaitNanos() > 0);
    }
}
