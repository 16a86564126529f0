// The bookkeeping of one pool under one lock: its backends, idle lists, wait queue, size, logins and back-off.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.config.AdmissionSettings;
import io.pgmux.config.HostPort;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every decision of a {@link Pool} that needs a consistent view, each made in one short critical section on this
 * object's monitor: who gets which backend, whether another may be opened, which backends expire. Nothing here
 * performs I/O or completes a promise; the pool does that after the lock is released, with what these methods
 * return, so no callback ever runs under the lock (a callback could reach another pool's lock or a budget's).
 */
final class PoolLedger {

    /** Whether an attempt to open a backend started, and if not, which limit (if any) was the reason. */
    enum Slot {
        OPENED,
        /** The pool's own size (with the reserve, when due) is reached. */
        AT_LIMIT,
        /** A shared budget (max_db_connections, max_user_connections) is full. */
        BUDGET_FULL,
        /** Closed, or backing off after a failed login. */
        NOT_NOW,
        /** Refused: max_waiting_clients are waiting already. */
        QUEUE_FULL,
        /** Refused: the tenant has tenant_max_waiting clients waiting already. */
        TENANT_QUEUE_FULL,
        /** Refused: the client's wait deadline cannot be met, going by the queue and the hand-over rate. */
        DEADLINE_PREDICTED;

        boolean exhausted() {
            return this == AT_LIMIT || this == BUDGET_FULL;
        }
    }

    /** Loops to open new backends on, and whether client demand was refused by a full shared budget. */
    record Openings(List<EventLoop> loops, boolean budgetFull) {
    }

    /**
     * The outcome of one lending attempt: a backend ({@code check} when it must pass server_check_query first), a
     * queued waiter (with {@code slot} saying whether a backend is being opened for it), or a refusal.
     */
    record Lending(ServerConnection server, boolean check, Waiter waiter, Slot slot, PgException refusal) {
    }

    /** What {@link #handOff} returns when the backend must be closed instead (pool closed, backend forgotten). */
    static final Waiter REJECT = new Waiter(null, null, 0);

    private PoolLimits limits;
    private final ConnectionBudget databaseBudget;
    private final ConnectionBudget userBudget;
    private final Pool owner;
    private final IdleServers idle = new IdleServers();
    /** The transactions lent per host, for pools with backends on several hosts. */
    private final HostShares shares = new HostShares();
    private final WaitQueue queue = new WaitQueue();
    private final Set<ServerConnection> servers = new HashSet<>();
    private final LoginBackoff backoff;
    private final AdmissionBook admissions;
    private int size;
    private int loggingIn;
    private boolean closed;
    /** PAUSE: nothing is lent or opened; backends coming back stay idle. */
    private boolean paused;
    /** RECONNECT or a changed target: these backends are closed instead of reused when they come back. */
    private final Set<ServerConnection> closeNeeded = new HashSet<>();

    PoolLedger(PoolLimits limits, ConnectionBudget databaseBudget, ConnectionBudget userBudget, Pool owner) {
        this.limits = limits;
        this.databaseBudget = databaseBudget;
        this.userBudget = userBudget;
        this.owner = owner;
        this.backoff = new LoginBackoff(limits.loginRetry().toNanos(), limits.failoverHold().toNanos());
        this.admissions = new AdmissionBook(owner.key().toString(), queue);
    }

    /**
     * An idle backend (preferring {@code loop}'s), else a refusal when closed, when logins are failing and there is
     * no backend at all, or when max_waiting_clients are waiting already, else a new waiter at the end of the queue,
     * with a backend opened for it when no login in progress is already promised to it and the limits allow.
     */
    synchronized Lending lend(EventLoop loop, Promise<ServerConnection> promise, long since, long now,
                              Admission admission) {
        if (closed) {
            return new Lending(null, false, null, Slot.NOT_NOW, new PgException(Severity.FATAL,
                    SqlState.CANNOT_CONNECT_NOW, "pool " + owner.key() + " is closed"));
        }
        TenantLane lane = admissions.lane(admission);
        ServerConnection server = paused || !admissions.mayTakeIdle(lane) ? null
                : shares.balancing() ? shares.lendIdle(idle, loop, now, limits.roundRobin())
                : idle.take(loop, limits.roundRobin());
        if (server != null) {
            server.state = ServerState.ACTIVE;
            AdmissionBook.lent(server, lane, 0);
            boolean check = !limits.checkQuery().isBlank()
                    && now - server.idleSinceNanos >= limits.checkDelay().toNanos();
            return new Lending(server, check, null, Slot.NOT_NOW, null);
        }
        if (size == 0 && backoff.active(now) && !backoff.holding(now)) {
            return new Lending(null, false, null, Slot.NOT_NOW, backoff.failingError());
        }
        if (limits.maxWaiting() > 0 && queue.size() >= limits.maxWaiting()) {
            // A bounded queue fails fast: better an error now than a wait that would most likely time out anyway.
            return new Lending(null, false, null, Slot.QUEUE_FULL, new PgException(Severity.FATAL,
                    SqlState.TOO_MANY_CONNECTIONS, "pool " + owner.key() + " has " + queue.size()
                    + " clients waiting (max_waiting_clients); try again later"));
        }
        PgException refusal = admissions.refusal(lane, admission, size >= limits.maxSize());
        if (refusal != null) {
            return new Lending(null, false, null, refusal.sqlState().equals(SqlState.QUERY_CANCELED)
                    ? Slot.DEADLINE_PREDICTED : Slot.TENANT_QUEUE_FULL, refusal);
        }
        Waiter waiter = new Waiter(loop, promise, since, admission);
        waiter.lane = lane;
        queue.add(waiter);
        // Each login in progress is promised to one waiter; open another only for the waiters beyond those.
        Slot slot = loggingIn < queue.size() ? takeSlot(now, true) : Slot.NOT_NOW;
        return new Lending(null, false, waiter, slot, null);
    }

    /**
     * The waiter a clean backend goes to, or null when none waits, or when its host is ahead of another (see
     * {@link HostShares}), and the backend was put on the idle list, or {@link #REJECT} when it must be closed. The
     * backend is marked active for the waiter; if that waiter's promise turns out to be done already, the caller
     * simply asks again.
     */
    synchronized Waiter handOff(ServerConnection server, long now) {
        if (closed || !servers.contains(server) || closeNeeded.remove(server) || size > limits.maxSize()
                + limits.reserveSize()) {
            return REJECT;
        }
        AdmissionBook.returned(server);
        admissions.backendReturned(now, !paused && !queue.isEmpty());
        boolean balancing = shares.balancing();
        HostPort address = balancing ? IdleServers.hostOf(server) : null;
        boolean hold = false;
        if (balancing) {
            shares.returned(address);
            hold = !paused && !queue.isEmpty() && !shares.mayLend(address);
        }
        Waiter waiter = paused || hold ? null : queue.poll();
        if (waiter == null) {
            server.state = ServerState.IDLE;
            server.idleSinceNanos = now;
            idle.add(server);
            if (hold) {
                shares.held();
            } else if (balancing && !paused && !queue.isEmpty()) {
                // Clients wait that no backend may serve now (their tenants are at tenant_max_active): nothing is
                // held for them by the balance, the idle backends wait for the cap as they always did.
                shares.notHolding();
            }
            return null;
        }
        server.state = ServerState.ACTIVE;
        AdmissionBook.lent(server, waiter.lane, now - waiter.sinceNanos);
        if (balancing) {
            shares.lent(address, now);
        }
        return waiter;
    }

    /**
     * A held backend that may go to a waiting client now (the host behind caught up, a host left, or the hold timed
     * out), taken off the idle list for the caller to offer again; null when there is none. Clears the hold once no
     * client waits.
     */
    synchronized ServerConnection takeHeld() {
        if (!shares.holding()) {
            return null;
        }
        Waiter first = queue.peek();
        if (closed || paused || first == null) {
            shares.notHolding();
            return null;
        }
        // Not counted here: it is counted when handOff gives it to the waiter.
        ServerConnection server = shares.takeLendable(idle, first.loop, limits.roundRobin());
        if (server != null) {
            server.state = ServerState.USED;
        }
        // When none is found the hosts with idle backends are still ahead, or none is idle: the hold timer's look
        // tells which, and ends the hold in the second case.
        return server;
    }

    /** Whether backends may be held (a volatile read, no lock): only then is {@link #takeHeld} worth a call. */
    boolean holding() {
        return shares.holding();
    }

    /** True once per hold timer wanted: the caller arms it ({@link #holdTimerFired} after the hold bound). */
    boolean claimHoldTimer() {
        return shares.claimTimer();
    }

    /** The hold timer fired: nanoseconds until the next look, or -1; see {@link HostShares#timerFired}. */
    synchronized long holdTimerFired(long now) {
        return shares.timerFired(now, !closed && !paused && !queue.isEmpty() && idle.count() > 0);
    }

    /** A waiter left the queue because its deadline passed ({@code deadline}) or query_wait_timeout ended. */
    synchronized void waitShed(Waiter waiter, boolean deadline) {
        admissions.waitShed(waiter, deadline);
    }

    /** Applies new admission settings: fair queueing on or off, new weights and caps. */
    synchronized void admission(AdmissionSettings settings) {
        admissions.settings(settings);
    }

    /** Every tenant tracked, with its figures; empty when the pool queues first come, first served. */
    synchronized List<TenantView> tenantViews() {
        return admissions.views();
    }

    /** Backends to open: one per waiter without a login promised to it, then up to min_pool_size. */
    synchronized Openings slotsToOpen(long now, Supplier<EventLoop> home) {
        List<EventLoop> opens = new ArrayList<>(1);
        Slot slot = Slot.NOT_NOW;
        while (loggingIn < queue.size() && (slot = takeSlot(now, true)) == Slot.OPENED) {
            opens.add(queue.peek().loop);
        }
        boolean budgetFull = slot == Slot.BUDGET_FULL;
        EventLoop loop;
        // The minimum does not register for wake-ups: it must not take slots that clients of other pools wait for
        // before the janitor's next look.
        while (size < limits.minSize() && (loop = home.get()) != null && takeSlot(now, false) == Slot.OPENED) {
            opens.add(loop);
        }
        return new Openings(opens, budgetFull);
    }

    /** The longest-idle backend, taken off the idle list for the caller to close; null when none is idle. */
    synchronized ServerConnection takeIdleForEviction() {
        ServerConnection server = closed ? null : idle.takeLeastRecentlyUsed();
        if (server != null) {
            server.state = ServerState.USED;
        }
        return server;
    }

    /**
     * A backend finished logging in; it counts as open from now on, and the back-off (if any) is over. Returns how
     * long the failover hold it ends lasted, in nanoseconds, or -1 when there was none.
     */
    synchronized long opened(ServerConnection server, long now) {
        loggingIn--;
        servers.add(server);
        shares.joined(IdleServers.hostOf(server), now);
        return backoff.succeeded(now);
    }

    /**
     * A backend failed to connect or log in: its slot is free (the caller gives the budgets back) and the back-off
     * starts. Returns the waiters to fail with {@link #lastLoginError()}: all of them when no backend ever logged in
     * and none exists, because each is then a client still logging in that nothing can serve before the back-off
     * ends (as PgBouncer does), and likewise when none exists and the failover hold ran out; otherwise none, and
     * they keep waiting.
     */
    synchronized List<Waiter> openFailed(Throwable cause, boolean everLoggedIn, long now) {
        size--;
        loggingIn--;
        backoff.failed(now, cause, everLoggedIn);
        boolean hopeless = !everLoggedIn || backoff.holdExpired(now);
        return hopeless && size == 0 ? queue.drain() : List.of();
    }

    /**
     * The waiters to fail with {@link #lastLoginError()} because the failover hold ran out with no backend open;
     * empty otherwise. They would otherwise wait for the next attempt, a whole server_login_retry later.
     */
    synchronized List<Waiter> holdRanOut(long now) {
        return size == 0 && backoff.holdExpired(now) && !queue.isEmpty() ? queue.drain() : List.of();
    }

    /**
     * After a failed login: nanoseconds until the next attempt may start, when clients are waiting and the pool is
     * holding them (so that the caller arms a retry rather than leaving it to the janitor's next tick); else -1.
     */
    synchronized long retryDelayWhileHolding(long now) {
        if (queue.isEmpty() || !backoff.holding(now)) {
            return -1;
        }
        return backoff.currentRetryNanos(now);
    }

    synchronized PgException lastLoginError() {
        return backoff.lastError();
    }

    /** Takes a backend out of the accounting; true only the first time, when the caller must give its slots back. */
    synchronized boolean forget(ServerConnection server) {
        if (!servers.remove(server)) {
            return false;
        }
        closeNeeded.remove(server);
        AdmissionBook.returned(server);
        server.state = ServerState.CLOSED;
        idle.remove(server);
        shares.left(IdleServers.hostOf(server));
        size--;
        return true;
    }

    /** Every idle backend on {@code address}, taken off the idle lists (marked used) for the caller to close. */
    synchronized List<ServerConnection> takeIdleOn(HostPort address) {
        List<ServerConnection> taken = idle.takeAllOn(address);
        taken.forEach(s -> s.state = ServerState.USED);
        return taken;
    }

    synchronized void markUsed(ServerConnection server) {
        server.state = ServerState.USED;
    }

    /**
     * Removes from the idle lists every backend past server_lifetime, and those past server_idle_timeout while more
     * than min_pool_size would remain; the caller closes them.
     */
    synchronized List<ServerConnection> expire(long now) {
        if (closed) {
            return List.of();
        }
        List<ServerConnection> expired = idle.expire(now, limits.serverLifetime().toNanos(),
                limits.serverIdleTimeout().toNanos(), size - limits.minSize());
        expired.forEach(s -> s.state = ServerState.USED);
        return expired;
    }

    synchronized void removeWaiter(Waiter waiter) {
        queue.remove(waiter);
    }

    synchronized int queuePosition(Future<ServerConnection> acquiring) {
        return queue.position(acquiring);
    }

    /** Marks the pool closed and returns the waiters to fail; {@link #servers()} then lists what to close. */
    synchronized List<Waiter> close() {
        closed = true;
        return queue.drain();
    }

    synchronized List<ServerConnection> servers() {
        return new ArrayList<>(servers);
    }

    synchronized void limits(PoolLimits newLimits) {
        limits = newLimits;
        backoff.retune(newLimits.loginRetry().toNanos(), newLimits.failoverHold().toNanos());
    }

    synchronized void paused(boolean value) {
        paused = value;
    }

    synchronized boolean paused() {
        return paused;
    }

    /** Takes every idle backend off the idle list (marked used) for the caller to close or hand out again. */
    synchronized List<ServerConnection> takeAllIdle() {
        List<ServerConnection> taken = new ArrayList<>();
        ServerConnection server;
        while ((server = idle.takeLeastRecentlyUsed()) != null) {
            server.state = ServerState.USED;
            taken.add(server);
        }
        return taken;
    }

    /** Marks every backend in use to be closed when it comes back; returns how many were marked. */
    synchronized int markAllCloseNeeded() {
        for (ServerConnection s : servers) {
            if (s.state != ServerState.IDLE) {
                closeNeeded.add(s);
            }
        }
        return closeNeeded.size();
    }

    synchronized int closeNeededCount() {
        closeNeeded.retainAll(servers);
        return closeNeeded.size();
    }

    /** How long the longest-waiting client has waited, in nanoseconds; 0 when nobody waits. */
    synchronized long maxWaitNanos(long now) {
        return queue.isEmpty() ? 0 : now - queue.oldestSince(now);
    }

    /** Every backend with its state, for SHOW SERVERS. */
    synchronized List<PoolAdmin.ServerView> serverViews() {
        List<PoolAdmin.ServerView> views = new ArrayList<>(servers.size());
        for (ServerConnection s : servers) {
            views.add(new PoolAdmin.ServerView(s, s.state, closeNeeded.contains(s)));
        }
        return views;
    }

    synchronized PoolStats stats() {
        int idleCount = 0;
        int active = 0;
        int used = 0;
        for (ServerConnection s : servers) {
            switch (s.state) {
                case IDLE -> idleCount++;
                case ACTIVE -> active++;
                case USED -> used++;
                default -> {
                }
            }
        }
        return new PoolStats(idleCount, active, used, loggingIn, queue.size());
    }

    /**
     * Starts one more backend if the size limit (plus the reserve once the oldest waiter waited reserve_pool_timeout),
     * the login back-off and the shared budgets allow. With {@code forClients}, a budget that refuses remembers this
     * pool and wakes it when a slot frees.
     */
    private Slot takeSlot(long now, boolean forClients) {
        if (closed || paused || backoff.active(now)) {
            return Slot.NOT_NOW;
        }
        int limit = limits.maxSize();
        if (limits.reserveSize() > 0 && now - queue.oldestSince(now) >= limits.reserveTimeout().toNanos()) {
            limit += limits.reserveSize();
        }
        if (size >= limit) {
            return Slot.AT_LIMIT;
        }
        if (ConnectionBudget.tryTakeBoth(databaseBudget, userBudget, owner, forClients) != null) {
            return Slot.BUDGET_FULL;
        }
        size++;
        loggingIn++;
        return Slot.OPENED;
    }
}
