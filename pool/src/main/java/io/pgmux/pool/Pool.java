// The backends of one (database, user) pair and the queue of clients waiting for one of them.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.config.AdmissionSettings;
import io.pgmux.config.HostPort;
import io.pgmux.config.TargetSessionAttrs;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.auth.ScramKeyMemo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends of one (database, user) pair, lent to one client at a time.
 *
 * <p>Contract: every backend obtained from {@link #acquire} goes back exactly once, through {@link #release} or
 * {@link #discard}; one that is never returned is lost to the pool until its socket closes. Waiting clients are
 * served first come, first served, and each acquisition completes exactly once (backend, timeout or error).
 *
 * <p>Limits: at most {@code maxSize} backends exist at once, counting those still logging in, plus up to
 * {@code reserveSize} more once a client has waited {@code reserveTimeout}; every backend also takes a slot of the
 * database's and the login user's {@link ConnectionBudget}; clients refused by a full budget make another pool of
 * that budget give up an idle backend, and are woken when any backend of the budget closes. At least {@code minSize}
 * are kept open. After a failed login nothing is opened for {@code loginRetry}; clients already waiting keep waiting
 * (up to the query wait timeout), while a client arriving at a pool with no backend at all gets the last login error
 * at once; if no backend ever logged in, the failure is also passed to every waiter, since all of them are clients
 * still logging in. At most {@code maxWaiting} clients wait at once (max_waiting_clients, unless 0): one more is
 * refused at once with 53300. A backend past {@code serverLifetime} is closed when it comes back; idle backends past
 * {@code serverLifetime} or {@code serverIdleTimeout} are closed by the registry's {@link Janitor}; one idle longer
 * than {@code checkDelay} runs {@code checkQuery} before it is lent, and is closed if that fails.
 *
 * <p>Hazard: the time-driven parts (idle expiry, reserve, retry after the back-off, re-opening the minimum after a
 * failure) run from {@link #maintain}, which a {@link PoolRegistry}'s janitor calls; a pool constructed directly and
 * never maintained only enforces what happens on acquire, release and close.
 *
 * <p>Threading: clients call in from every event loop. The bookkeeping lives in a {@link PoolLedger} whose critical
 * sections are a few field updates; promises are completed, sockets closed and budgets given back outside its lock.
 * One pool shared by all loops keeps the size limit exact (a pool per loop would split it).
 */
public final class Pool {
    private static final Logger log = LoggerFactory.getLogger(Pool.class);
    /** How long a closing pool lets PostgreSQL end a backend after Terminate before closing the socket itself. */
    private static final long TERMINATE_GRACE_MILLIS = 1000;

    private final PoolKey key;
    /** The SCRAM keys of this pool's backend logins, derived once per server verifier rather than per login. */
    private final ScramKeyMemo backendScramKeys = new ScramKeyMemo();
    /** Swapped by a reload that changed the database's address or login ({@link PoolAdmin#retarget}). */
    private volatile BackendTarget target;
    /** The hosts of {@link #target} and what logins taught about them; replaced with the target. */
    private volatile ServerHosts hosts;
    /** Swapped by a reload that changed sizes or timeouts ({@link PoolAdmin#reconfigure}). */
    private volatile PoolLimits limits;
    private final BackendConnector connector;
    private final PoolClock clock;
    private final ConnectionBudget databaseBudget;
    private final ConnectionBudget userBudget;
    private final Supplier<EventLoop> loops;
    private final PoolCounters counters = new PoolCounters();
    private final StatementCounters statementCounters = new StatementCounters();
    private final FailoverCounters failoverCounters = new FailoverCounters();
    private final PoolLedger ledger;
    private final PoolAdmin admin;
    /** health_check_period and max_replica_lag of the database; see {@link HostChecks}. */
    private final HostChecks hostChecks;

    /** What a fresh backend reported at login; a client's session parameters start from these. */
    private volatile Map<String, String> loginParameters;
    /** The loop of the first client, where backends no client asked for are opened when {@code loops} has none. */
    private volatile EventLoop firstClientLoop;

    /** A pool that shares no limit with other pools and opens its minimum on the loop of its first client. */
    public Pool(PoolKey key, BackendTarget target, PoolLimits limits, BackendConnector connector) {
        this(key, target, limits, connector, ConnectionBudget.unlimited("database " + key.database()),
                ConnectionBudget.unlimited("user " + target.user()), () -> null);
    }

    /**
     * @param databaseBudget shared by every pool of the database (max_db_connections)
     * @param userBudget     shared by every pool of the login user (max_user_connections); not the same object
     * @param loops          where to open backends no client is waiting for (min_pool_size); may return null, then
     *                       the loop of the first client is used
     */
    public Pool(PoolKey key, BackendTarget target, PoolLimits limits, BackendConnector connector,
                ConnectionBudget databaseBudget, ConnectionBudget userBudget, Supplier<EventLoop> loops) {
        this(key, target, limits, connector, databaseBudget, userBudget, loops, PoolClock.SYSTEM);
    }

    /** As above, reading the time from {@code clock} (tests move it instead of sleeping). */
    public Pool(PoolKey key, BackendTarget target, PoolLimits limits, BackendConnector connector,
                ConnectionBudget databaseBudget, ConnectionBudget userBudget, Supplier<EventLoop> loops,
                PoolClock clock) {
        if (databaseBudget == userBudget) {
            throw new IllegalArgumentException("the database and user budgets must be distinct objects");
        }
        this.key = key;
        this.target = target;
        this.hosts = new ServerHosts("pool " + key, target.hosts(), target.sessionAttrs());
        this.limits = limits;
        this.connector = connector;
        this.clock = clock;
        this.databaseBudget = databaseBudget;
        this.userBudget = userBudget;
        this.loops = loops;
        this.ledger = new PoolLedger(limits, databaseBudget, userBudget, this);
        this.admin = new PoolAdmin(this, ledger);
        this.hostChecks = new HostChecks(this);
        databaseBudget.join(this);
        userBudget.join(this);
    }

    public PoolKey key() {
        return key;
    }

    ScramKeyMemo backendScramKeys() {
        return backendScramKeys;
    }

    public BackendTarget target() {
        return target;
    }

    public PoolLimits limits() {
        return limits;
    }

    /** The time source of every deadline this pool enforces. */
    public PoolClock clock() {
        return clock;
    }

    /** Operator commands: pause, resume, reconnect, kill, reload of limits and target. */
    public PoolAdmin admin() {
        return admin;
    }

    void limits(PoolLimits newLimits) {
        this.limits = newLimits;
    }

    void target(BackendTarget newTarget) {
        this.hosts = new ServerHosts("pool " + key, newTarget.hosts(), newTarget.sessionAttrs());
        this.target = newTarget;
    }

    /** Each host of the database with the role and state the pool last saw, for SHOW HOSTS and the metrics. */
    public List<ServerHosts.HostView> hosts() {
        return hosts.views();
    }

    /** Sets how often the hosts are checked and the replay-lag limit; takes effect at the next janitor tick. */
    void hostCheckSettings(HostChecks.Settings settings) {
        hostChecks.settings(settings);
    }

    HostChecks.Settings hostCheckSettings() {
        return hostChecks.settings();
    }

    /** True while health checks of this pool's hosts are in flight. */
    boolean hostChecksRunning() {
        return hostChecks.running();
    }

    /** Counters of waits, exhaustion and backend churn since the pool was created. */
    public PoolCounters counters() {
        return counters;
    }

    /** The failover holds this pool rode out. */
    public FailoverCounters failoverCounters() {
        return failoverCounters;
    }

    /** How this pool's backends served clients' named prepared statements. */
    public StatementCounters statementCounters() {
        return statementCounters;
    }

    /** The parameters a fresh backend reports, or null before the first backend logged in. */
    public Map<String, String> loginParameters() {
        return loginParameters;
    }

    /**
     * Lends a backend, preferring an idle one on {@code loop}; otherwise queues the caller and opens a backend if
     * the limits allow. The future fails after the query wait timeout, at once when the pool is closed, when
     * logins have been failing and the pool has no backend, or when max_waiting_clients wait already (53300); if
     * cancelled, the caller leaves the queue.
     */
    public Future<ServerConnection> acquire(EventLoop loop) {
        return acquire(loop, Admission.NONE);
    }

    /**
     * As {@link #acquire(EventLoop)}, for a client of a tenant and perhaps with a wait deadline. When the pool
     * queues fairly (pool.tenant_queueing: fair) the tenant decides its turn, and a tenant at tenant_max_waiting is
     * refused with 53300. With a deadline the acquisition fails with 57014 at once when the predicted wait exceeds it,
     * and when it passes while the client waits.
     */
    public Future<ServerConnection> acquire(EventLoop loop, Admission admission) {
        if (firstClientLoop == null) {
            firstClientLoop = loop;
        }
        Promise<ServerConnection> promise = loop.newPromise();
        lend(loop, promise, clock.nanoTime(), true, admission);
        return promise;
    }

    /** Applies the admission settings (fair queueing, tenant weights and caps); on creation and each reload. */
    public void admission(AdmissionSettings settings) {
        ledger.admission(settings);
    }

    /** The tenants of a fairly queued pool with their figures; empty when it queues first come, first served. */
    public List<TenantView> tenants() {
        return ledger.tenantViews();
    }

    /**
     * Takes a backend back from a client that left it in a known state: rolls back an open transaction, runs the
     * reset query when {@code reset} is set (session pooling), then lends it to the next waiter or keeps it idle.
     */
    public void release(ServerConnection server, boolean reset) {
        if (server.midMessage()) {
            // A client message was cut off half sent: PostgreSQL would read the next holder's bytes as its rest.
            log.info("{} was left in the middle of a message; closing it", server);
            discard(server);
            return;
        }
        server.detach();
        List<String> cleanup = ServerCleanup.statements(server, reset, limits.resetQuery());
        if (cleanup.isEmpty()) {
            offer(server);
            return;
        }
        ledger.markUsed(server);
        server.execute(cleanup).addListener(f -> {
            if (f.isSuccess()) {
                server.slotConfirmed(); // a fleet slot in doubt was checked last
                if (reset) {
                    server.forgetUnreportedSettings();
                    server.statements().clear();
                }
                offer(server);
            } else {
                log.info("{} failed its cleanup ({}); closing it", server, f.cause().getMessage());
                discard(server);
            }
        });
    }

    /** Closes a backend whose state is unknown (e.g. its client vanished mid-query); it is never reused. */
    public void discard(ServerConnection server) {
        server.detach();
        forget(server);
        server.close();
    }

    /** Called by the relay handler when a backend's socket closed, whoever held it. */
    void onServerClosed(ServerConnection server) {
        forget(server);
    }

    /** A consistent snapshot of the pool's lists. */
    public PoolStats stats() {
        return ledger.stats();
    }

    /**
     * 1-based position in the wait queue of the acquisition {@code acquiring} (a future returned by
     * {@link #acquire}), or 0 when it is not waiting (served, failed, or never queued). Scans the queue: O(n) in the
     * number of waiters, meant for occasional notices, not for every message.
     */
    public int queuePosition(Future<ServerConnection> acquiring) {
        return ledger.queuePosition(acquiring);
    }

    /**
     * Fails every waiter and ends every backend with Terminate; the pool refuses further acquisitions. The futures
     * complete when PostgreSQL closed each connection (its backend process has then left pg_stat_activity), or
     * after a short grace when pgmux closed it itself.
     */
    public List<Future<Void>> close() {
        List<Waiter> failed = ledger.close();
        PgException shutdown = new PgException(Severity.FATAL, SqlState.ADMIN_SHUTDOWN, "pgmux is shutting down");
        for (Waiter waiter : failed) {
            waiter.cancelTimeout();
            waiter.promise.tryFailure(shutdown);
        }
        List<Future<Void>> closing = new ArrayList<>();
        for (ServerConnection server : ledger.servers()) {
            server.detach();
            forget(server);
            closing.add(server.terminate(TERMINATE_GRACE_MILLIS));
        }
        return closing;
    }

    /**
     * One janitor tick: closes idle backends past server_lifetime, and past server_idle_timeout while more than
     * min_pool_size exist, then opens what the pool is missing (see {@link #replenish}).
     */
    void maintain(long now) {
        for (ServerConnection server : ledger.expire(now)) {
            log.debug("{} expired (age {} ms); closing it", server, TimeUnit.NANOSECONDS.toMillis(server.ageNanos()));
            discard(server);
        }
        replenish(now);
        hostChecks.maybeRun(now, target, hosts, connector, homeLoop(), limits.checkTimeout().toNanos());
    }

    /**
     * A round of health checks finished: on each host the pool should no longer use (it lags, failed the check or
     * changed role, and another host serves), the idle backends are closed now; the busy ones are closed as their
     * clients give them back ({@link #offer}), so no client sees an error.
     */
    void hostsChecked(List<HostPort> addresses) {
        for (HostPort address : addresses) {
            if (!hosts.avoids(address, clock.nanoTime())) {
                continue;
            }
            for (ServerConnection server : ledger.takeIdleOn(address)) {
                log.debug("{} is on host {}, which the pool avoids now; closing it", server, address);
                discard(server);
            }
        }
    }

    /** A shared budget this pool was refused by has a free slot again. */
    void budgetFreed() {
        replenish(clock.nanoTime());
    }

    /**
     * Serves {@code promise} from the idle list or queues it. Called again for the same promise when the backend it
     * was given failed its check; {@code firstTry} keeps such a retry from being counted as a second wait.
     */
    private void lend(EventLoop loop, Promise<ServerConnection> promise, long since, boolean firstTry,
                      Admission admission) {
        PoolLedger.Lending lending = ledger.lend(loop, promise, since, clock.nanoTime(), admission);
        if (lending.refusal() != null) {
            if (lending.slot() == PoolLedger.Slot.QUEUE_FULL) {
                counters.queueFull();
            }
            promise.tryFailure(lending.refusal());
        } else if (lending.server() != null) {
            if (lending.check()) {
                checkThenLend(lending.server(), loop, promise, since, admission);
            } else if (promise.trySuccess(lending.server())) {
                counters.acquired(clock.nanoTime() - since);
            } else {
                offer(lending.server());
            }
        } else {
            if (firstTry) {
                counters.waitStarted(lending.slot().exhausted());
                promise.addListener(f -> counters.waitEnded(clock.nanoTime() - since, f.isSuccess()));
            }
            if (lending.slot() == PoolLedger.Slot.OPENED) {
                openServer(loop);
            }
            armTimeout(lending.waiter());
            if (lending.slot() == PoolLedger.Slot.BUDGET_FULL) {
                evictElsewhere();
            }
        }
        armHoldTimer(loop); // the ledger may have queued this client behind a host that is ahead
    }

    private void checkThenLend(ServerConnection server, EventLoop loop, Promise<ServerConnection> promise, long since,
                               Admission admission) {
        ServerCheck.run(server, limits.checkQuery(), limits.checkTimeout()).addListener(f -> {
            if (f.isSuccess()) {
                if (promise.trySuccess(server)) {
                    counters.acquired(clock.nanoTime() - since);
                } else {
                    offer(server); // the client gave up during the check
                }
                return;
            }
            log.info("{} failed server_check_query ({}); closing it", server, f.cause().getMessage());
            discard(server);
            if (!promise.isDone()) {
                lend(loop, promise, since, false, admission);
            }
        });
    }

    /**
     * Opens backends for waiters that have none logging in for them, then up to min_pool_size. Waiters refused by a
     * full shared budget make another pool give up an idle backend, each time this runs (at least every janitor
     * tick), so idle backends elsewhere never starve them.
     */
    void replenish(long now) {
        failWaiters(ledger.holdRanOut(now));
        PoolLedger.Openings openings = ledger.slotsToOpen(now, this::homeLoop);
        openings.loops().forEach(this::openServer);
        if (openings.budgetFull()) {
            evictElsewhere();
        }
    }

    /** Frees a slot of each full shared budget by closing an idle backend of another pool, when there is one. */
    private void evictElsewhere() {
        if (databaseBudget.isFull()) {
            databaseBudget.evictIdle(this);
        }
        if (userBudget.isFull()) {
            userBudget.evictIdle(this);
        }
    }

    /** Closes this pool's longest-idle backend so that another pool sharing a budget can open one. */
    boolean closeIdleBackend() {
        ServerConnection server = ledger.takeIdleForEviction();
        if (server == null) {
            return false;
        }
        log.debug("{} evicted: another pool of the same database or user needs its slot", server);
        discard(server);
        return true;
    }

    private EventLoop homeLoop() {
        EventLoop loop = loops.get();
        return loop != null ? loop : firstClientLoop;
    }

    private void openServer(EventLoop loop) {
        counters.connectAttempted();
        long started = clock.nanoTime();
        Future<ServerConnection> connecting;
        try {
            connecting = HostSelection.open(this, connector, target, hosts, loop);
        } catch (RuntimeException e) { // e.g. the loop is shutting down
            onOpenFailed(e);
            return;
        }
        connecting.addListener((Future<ServerConnection> f) -> {
            if (f.isSuccess()) {
                counters.connected(clock.nanoTime() - started);
                onOpened(f.getNow());
            } else {
                onOpenFailed(f.cause());
            }
        });
    }

    private void onOpened(ServerConnection server) {
        if (loginParameters == null) {
            // A LinkedHashMap, not Map.copyOf: every hand-over walks these keys, and Map.copyOf's iterators make an
            // entry object per step.
            loginParameters = Collections.unmodifiableMap(new LinkedHashMap<>(server.reportedParameters()));
        }
        long held = ledger.opened(server, clock.nanoTime());
        if (held >= 0) {
            failoverCounters.recovered(held);
            log.info("pool {}: server logins work again, {} logged in after {} ms of failures (failover hold)", key,
                    server, TimeUnit.NANOSECONDS.toMillis(held));
        }
        log.debug("{} logged in to {}", server, target);
        offer(server);
    }

    private void onOpenFailed(Throwable cause) {
        log.warn("pool {}: could not open a backend to {}: {}", key, target, ServerFailures.describe(cause));
        List<Waiter> failed = ledger.openFailed(cause, loginParameters != null, clock.nanoTime());
        counters.connectFailed();
        giveBudgets();
        failWaiters(failed);
        long retryIn = ledger.retryDelayWhileHolding(clock.nanoTime());
        EventLoop loop = homeLoop();
        if (retryIn >= 0 && loop != null) {
            // Clients are held: try again as soon as the short back-off allows, not at the janitor's next tick.
            clock.schedule(loop, () -> replenish(clock.nanoTime()), retryIn);
        }
    }

    /** Fails {@code failed} with the last login error: logins are failing and nothing can serve them. */
    private void failWaiters(List<Waiter> failed) {
        PgException error = ledger.lastLoginError();
        for (Waiter waiter : failed) {
            waiter.cancelTimeout();
            waiter.promise.tryFailure(error != null ? error : ServerFailures.closedDuringLogin());
        }
    }

    /**
     * Gives a clean backend to the longest-waiting client, or puts it on the idle list; retires it when too old.
     * With several hosts, a backend held back to keep the hosts even (see {@link HostShares}) may go to a waiting
     * client after this one: each hand-over changes which host is behind.
     */
    void offer(ServerConnection server) {
        handOver(server);
        if (ledger.holding()) {
            lendHeld(server.eventLoop());
        }
    }

    /** True when {@code server} went to a waiting client; false when it went idle, was held or was closed. */
    private boolean handOver(ServerConnection server) {
        if (!server.isOpen()) {
            forget(server);
            return false;
        }
        if (server.ageNanos() >= limits.serverLifetime().toNanos()) {
            log.debug("{} reached server_lifetime; closing it", server);
            discard(server);
            return false;
        }
        if (!servesTarget(server) || onAvoidedHost(server)) {
            discard(server);
            return false;
        }
        Waiter waiter;
        while ((waiter = ledger.handOff(server, clock.nanoTime())) != null) {
            if (waiter == PoolLedger.REJECT) {
                server.close();
                return false;
            }
            waiter.cancelTimeout();
            if (waiter.promise.trySuccess(server)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives held backends that may be lent now to waiting clients, one after the other, until one goes idle again
     * (its host is still ahead, or nobody waits); then arms the hold timer if a hold started.
     */
    private void lendHeld(EventLoop loop) {
        ServerConnection held;
        while ((held = ledger.takeHeld()) != null && handOver(held)) {
            // each hand-over moves the counts: the next held backend may be lendable now
        }
        armHoldTimer(loop);
    }

    /**
     * Arms the timer that bounds a hold, when one was asked for: it makes sure no backend stays held while clients
     * wait and nothing is lent anywhere (a host behind whose every backend is stuck in a long transaction).
     */
    private void armHoldTimer(EventLoop loop) {
        if (ledger.claimHoldTimer()) {
            clock.schedule(loop, () -> holdTimerFired(loop), HostShares.MAX_HOLD_NANOS);
        }
    }

    private void holdTimerFired(EventLoop loop) {
        long again = ledger.holdTimerFired(clock.nanoTime());
        if (again > 0) {
            clock.schedule(loop, () -> holdTimerFired(loop), again);
        }
        lendHeld(loop);
    }

    /**
     * False for a backend whose server changed role since its login (in_hot_standby reported again, as PostgreSQL
     * 14 and later do when a standby is promoted) to one the pool does not accept: it is closed as it comes back,
     * never lent again. Reads one reported parameter, and only for pools that care about the role.
     */
    private boolean servesTarget(ServerConnection server) {
        if (target.sessionAttrs() == TargetSessionAttrs.ANY) {
            return true;
        }
        ServerRole role = ServerRole.fromReported(server.reportedParameters());
        if (role == null || role.serves(target.sessionAttrs())) {
            return true;
        }
        hosts.roleReported(new HostPort(server.target().host(), server.target().port()), role, clock.nanoTime());
        log.info("{} is on a {} now; closing it (target_session_attrs {})", server, role.text(),
                target.sessionAttrs().text());
        return false;
    }

    /**
     * True for a backend on a host the health checks found lagging, down or of the wrong role, or on a host with
     * more of the pool's backends than another one by two or more (several hosts only): see
     * {@link ServerHosts#avoids} and {@link ServerHosts#crowded}.
     */
    private boolean onAvoidedHost(ServerConnection server) {
        if (target.hosts().size() < 2) {
            return false;
        }
        HostPort address = IdleServers.hostOf(server);
        long now = clock.nanoTime();
        return hosts.avoids(address, now) || hosts.crowded(address, now);
    }

    /** Takes a backend out of the pool's accounting, once; frees its slots and opens a replacement if needed. */
    private void forget(ServerConnection server) {
        if (!ledger.forget(server)) {
            return;
        }
        hosts.backendClosed(server);
        counters.serverClosed();
        giveBudgets();
        // A waiter that counted on this backend, or the minimum, would otherwise wait for the next janitor tick.
        replenish(clock.nanoTime());
        if (ledger.holding()) {
            // The host this backend was on may have been the one the others were held for.
            lendHeld(server.eventLoop());
        }
    }

    /** Outside any lock: the budgets wake the pools they refused, which may include this one. */
    private void giveBudgets() {
        databaseBudget.give();
        userBudget.give();
    }

    private void armTimeout(Waiter waiter) {
        waiter.promise.addListener(f -> {
            if (f.isCancelled()) {
                ledger.removeWaiter(waiter);
            }
        });
        long timeoutNanos = limits.queryWaitTimeout().toNanos();
        long deadlineNanos = waiter.admission.deadlineNanos();
        boolean deadlineFirst = deadlineNanos > 0 && (timeoutNanos == 0 || deadlineNanos < timeoutNanos);
        long limitNanos = deadlineFirst ? deadlineNanos : timeoutNanos;
        if (limitNanos > 0 && !waiter.promise.isDone()) {
            long remaining = Math.max(0, limitNanos - (clock.nanoTime() - waiter.sinceNanos));
            Runnable onExpiry = deadlineFirst ? () -> deadlinePassed(waiter) : () -> expire(waiter);
            waiter.timeout(clock.schedule(waiter.loop, onExpiry, remaining));
        }
    }

    /** The client's wait deadline passed while it waited: it is answered now and leaves the queue. */
    private void deadlinePassed(Waiter waiter) {
        String message = "pgmux: no server connection in pool " + key + " became free within this client's"
                + " wait_deadline of " + TimeUnit.NANOSECONDS.toMillis(waiter.admission.deadlineNanos()) + " ms";
        if (waiter.promise.tryFailure(new PgException(Severity.FATAL, SqlState.QUERY_CANCELED, message))) {
            counters.waitTimedOut();
            ledger.waitShed(waiter, true);
        }
    }

    private void expire(Waiter waiter) {
        PgException lastLoginError = ledger.lastLoginError();
        String message = "query_wait_timeout: no server connection in pool " + key + " became free within "
                + limits.queryWaitTimeout().toMillis() + " ms"
                + (lastLoginError == null ? "" : "; the last server login failed: " + lastLoginError.getMessage());
        // 08P01, as PgBouncer reports query_wait_timeout, so clients and dashboards that know it recognise it.
        if (waiter.promise.tryFailure(new PgException(Severity.FATAL, SqlState.PROTOCOL_VIOLATION, message))) {
            counters.waitTimedOut();
            ledger.waitShed(waiter, false);
        }
    }
}
