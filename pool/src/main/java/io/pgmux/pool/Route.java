// Where a backend's frames go while someone holds it: a listener and its executor.
package io.pgmux.pool;

import io.netty.util.concurrent.EventExecutor;

/**
 * Where a backend's frames go: a listener and the executor it must be called on. Published as one volatile
 * reference so the backend's loop never sees a listener paired with another holder's executor. A client
 * session creates its route once and reuses it for every backend it is lent.
 */
public record Route(ServerListener listener, EventExecutor executor) {
}
