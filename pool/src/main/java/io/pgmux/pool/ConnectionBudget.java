// A limit on backends shared by several pools: all pools of one database, or all pools of one login user.
package io.pgmux.pool;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts the backends (open or logging in) of every pool that shares it and refuses more than {@link #limit()}.
 * A pool refused a slot is remembered, and every slot given back wakes all remembered pools so they can try again;
 * the check and the registration happen under one lock, so a slot freed at any moment after a refusal is never
 * missed (no lost wake-up). Waking all of them is a small thundering herd, bounded by the number of pools sharing
 * the budget; those that lose the race register again.
 *
 * <p>A pool whose clients wait because the budget is full also evicts one idle backend of another pool sharing the
 * budget ({@link #evictIdle}), as PgBouncer does: otherwise backends idling in one pool could starve another pool's
 * clients until server_idle_timeout.
 *
 * <p>Lock order: a pool may call {@link #tryTakeBoth} while holding its own monitor (budget locks are taken inside
 * pool locks, the database budget before the user budget). {@link #give()} must be called without holding any pool
 * monitor, because it calls back into the waiting pools.
 */
public final class ConnectionBudget {
    private final String name;
    private final int limit;
    // Guarded by this.
    private int used;
    private final Set<Pool> waiting = new LinkedHashSet<>();
    /** Every pool counting against this budget; only read to find an idle backend to evict. */
    private final List<Pool> members = new CopyOnWriteArrayList<>();

    /**
     * @param name  what is limited, for logs (e.g. {@code "database app"})
     * @param limit most backends at once; 0 = unlimited (they are still counted)
     */
    public ConnectionBudget(String name, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        this.name = name;
        this.limit = limit;
    }

    /** A budget that never refuses, for a pool that shares nothing. */
    public static ConnectionBudget unlimited(String name) {
        return new ConnectionBudget(name, 0);
    }

    public String name() {
        return name;
    }

    /** The configured limit; 0 = unlimited. */
    public int limit() {
        return limit;
    }

    /** Backends currently counted against this budget. */
    public synchronized int used() {
        return used;
    }

    /** True when the budget has a limit and every slot is taken. */
    public synchronized boolean isFull() {
        return !hasRoom();
    }

    /** Adds a pool whose idle backends may be evicted for the others; called once per pool. */
    void join(Pool pool) {
        members.add(pool);
    }

    /**
     * Takes one slot of each budget, or none. When {@code wake} is set (clients are waiting for the slot), a pool
     * refused by either budget is registered with the one that refused and woken by its next {@link #give()}.
     *
     * @return null when both slots were taken, else the budget that refused
     */
    static ConnectionBudget tryTakeBoth(ConnectionBudget database, ConnectionBudget user, Pool pool, boolean wake) {
        synchronized (database) {
            synchronized (user) {
                ConnectionBudget refused = !database.hasRoom() ? database : !user.hasRoom() ? user : null;
                if (refused == null) {
                    database.used++;
                    user.used++;
                } else if (wake) {
                    refused.waiting.add(pool);
                }
                return refused;
            }
        }
    }

    /**
     * Closes the longest-idle backend of one other member pool, if any has one; its slot then goes to the pools
     * waiting for this budget. Must be called without holding any lock.
     *
     * @return whether a backend was closed
     */
    boolean evictIdle(Pool requester) {
        for (Pool pool : members) {
            if (pool != requester && pool.closeIdleBackend()) {
                return true;
            }
        }
        return false;
    }

    /** Gives one slot back and lets every pool that was refused try again. */
    void give() {
        List<Pool> wake;
        synchronized (this) {
            if (used <= 0) {
                throw new IllegalStateException("budget " + name + " given back more slots than were taken");
            }
            used--;
            if (waiting.isEmpty()) {
                return;
            }
            wake = new ArrayList<>(waiting);
            waiting.clear();
        }
        wake.forEach(Pool::budgetFreed);
    }

    private boolean hasRoom() {
        return limit == 0 || used < limit;
    }

    @Override
    public String toString() {
        return name + " (" + used() + "/" + (limit == 0 ? "unlimited" : limit) + ")";
    }
}
