// Operator commands on one pool: pause, resume, reconnect, kill, and live changes of its limits and target.
package io.pgmux.pool;

import java.util.List;

/**
 * What the admin console and a configuration reload do to a {@link Pool}. Every method may be called from any
 * thread; each takes the pool's ledger lock briefly and closes or hands out backends outside it.
 *
 * <p>Pausing keeps clients: waiters stay queued (their query_wait_timeout still runs) and backends coming back
 * stay idle until {@link #resume()}. Nothing here ever drops a transaction in progress except {@link #kill()}.
 */
public final class PoolAdmin {
    private final Pool pool;
    private final PoolLedger ledger;

    PoolAdmin(Pool pool, PoolLedger ledger) {
        this.pool = pool;
        this.ledger = ledger;
    }

    /**
     * One backend as SHOW SERVERS lists it.
     *
     * @param closeNeeded it will be closed when its client gives it back (RECONNECT, changed target)
     */
    public record ServerView(ServerConnection server, ServerState state, boolean closeNeeded) {
    }

    /** Stops lending and opening backends; clients that ask wait. Returns at once; see {@link #busyServers()}. */
    public void pause() {
        ledger.paused(true);
    }

    public boolean isPaused() {
        return ledger.paused();
    }

    /** Backends still held by clients or being cleaned; a PAUSE is complete when this is 0. */
    public int busyServers() {
        PoolStats stats = ledger.stats();
        return stats.active() + stats.used();
    }

    /** Closes every idle backend (PAUSE does this once clients gave theirs back, before a database restart). */
    public void closeIdle() {
        ledger.takeAllIdle().forEach(pool::discard);
    }

    /** Lends again: idle backends go to the waiters first, then the pool opens what they still need. */
    public void resume() {
        ledger.paused(false);
        for (ServerConnection server : ledger.takeAllIdle()) {
            pool.offer(server);
        }
        pool.replenish(pool.clock().nanoTime());
    }

    /** Closes idle backends now and every other one when its client gives it back; new ones are opened as needed. */
    public void reconnect() {
        ledger.markAllCloseNeeded();
        closeIdle();
        pool.replenish(pool.clock().nanoTime());
    }

    /** Backends marked by {@link #reconnect()} that are still open (WAIT_CLOSE waits for 0). */
    public int closePending() {
        return ledger.closeNeededCount();
    }

    /** Closes every backend at once, including those held by clients (their transactions fail). */
    public void kill() {
        for (ServerView view : ledger.serverViews()) {
            pool.discard(view.server());
        }
    }

    /** New sizes and timeouts; a smaller size takes effect as backends come back. */
    public void reconfigure(PoolLimits limits) {
        pool.limits(limits);
        ledger.limits(limits);
        pool.replenish(pool.clock().nanoTime());
    }

    /** A new address or login: backends to the old target drain (closed when given back), new ones go to the new one. */
    public void retarget(BackendTarget target) {
        pool.target(target);
        reconnect();
    }

    /** How long the longest-waiting client has waited, in nanoseconds. */
    public long maxWaitNanos() {
        return ledger.maxWaitNanos(pool.clock().nanoTime());
    }

    public List<ServerView> servers() {
        return ledger.serverViews();
    }
}
