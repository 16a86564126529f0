// Creates and keeps the pool of each (database, user) pair, the limits they share, and their janitor.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.UserConfig;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Creates the pool of each (database, user) pair on first use and keeps it for the life of the server. Pools of one
 * database share a {@link ConnectionBudget} of {@code max_db_connections} (the database's own, else the pool
 * section's); pools logging in as one server user share one of {@code max_user_connections} (that user's own, else
 * the pool section's). One {@link Janitor} task maintains every pool.
 *
 * <p>Threading: {@link #pool} may be called from any thread. With an event loop group, the janitor runs on one of
 * its loops and a new pool opens its {@code min_pool_size} backends at once; without one, the janitor runs on a
 * single daemon thread of its own and a pool opens its minimum on the loop of its first client.
 *
 * <p>Hazard: {@link #closeAll()} must be called before the event loops shut down, or the janitor's thread (when the
 * registry made its own) outlives the server until the JVM exits.
 */
public final class PoolRegistry {
    /** Swapped by {@link #reconfigure}; pools created afterwards use the new one. */
    private volatile PgmuxConfig config;
    private final BackendConnector connector;
    private final PoolClock clock;
    private final Supplier<EventLoop> loops;
    private final Map<PoolKey, Pool> pools = new ConcurrentHashMap<>();
    private final Map<String, ConnectionBudget> databaseBudgets = new ConcurrentHashMap<>();
    private final Map<String, ConnectionBudget> userBudgets = new ConcurrentHashMap<>();
    private final PassthroughLogins passthrough = new PassthroughLogins();
    private final Janitor janitor;
    /** The longest {@link #closeAll()} waits for PostgreSQL to end the backends' sessions. */
    private static final long CLOSE_WAIT_MILLIS = 2000;
    /** Runs on every new pool before any client can see it; see {@link #onPoolCreated}. */
    private volatile Consumer<Pool> onCreate = pool -> { };
    private final ScheduledExecutorService ownScheduler;

    /** A registry without event loops of its own to use; see the class comment for what that changes. */
    public PoolRegistry(PgmuxConfig config, BackendConnector connector) {
        this(config, connector, null);
    }

    /**
     * @param loops the server's worker loops, where backends no client waits for are opened and the janitor runs;
     *              null to use the clients' loops and a janitor thread of the registry's own
     */
    public PoolRegistry(PgmuxConfig config, BackendConnector connector, EventLoopGroup loops) {
        this(config, connector, loops, PoolClock.SYSTEM);
    }

    /** As above, with every pool reading the time from {@code clock}. */
    public PoolRegistry(PgmuxConfig config, BackendConnector connector, EventLoopGroup loops, PoolClock clock) {
        this.config = config;
        this.connector = connector;
        this.clock = clock;
        this.loops = loops == null ? () -> null : loops::next;
        this.janitor = new Janitor(pools.values(), Janitor.periodFor(PoolLimits.from(config, "", "")),
                clock);
        this.ownScheduler = loops == null
                ? Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("pgmux-pool-janitor", true))
                : null;
        janitor.start(loops == null ? ownScheduler : loops.next());
    }

    /** Backend credentials learnt from client logins (SCRAM keys, md5 hashes) for passthrough users. */
    public PassthroughLogins passthroughLogins() {
        return passthrough;
    }

    /**
     * The pool for a client of {@code database} logged in as {@code user}; a new pool starts opening its
     * {@code min_pool_size} backends.
     *
     * @throws PgException 3D000 if the database is not configured
     */
    public Pool pool(String database, String user) {
        PoolKey key = new PoolKey(database, user);
        Pool pool = pools.get(key);
        if (pool != null) {
            return pool;
        }
        boolean[] created = new boolean[1];
        pool = pools.computeIfAbsent(key, k -> {
            created[0] = true;
            return create(k);
        });
        if (created[0]) {
            // Outside computeIfAbsent: opening must not run while the map holds its bin lock.
            pool.maintain(clock.nanoTime());
        }
        return pool;
    }

    /**
     * Sets what to do with each pool created from now on (e.g. pause it while its database is paused). The hook
     * runs inside the registry's map lock, before the pool is visible: it may only change the pool's own state,
     * never do I/O or take other locks.
     */
    public void onPoolCreated(Consumer<Pool> hook) {
        this.onCreate = hook;
    }

    public Collection<Pool> pools() {
        return pools.values();
    }

    /** The shared budget of a database's backends, or null when no pool of it was created yet. */
    public ConnectionBudget databaseBudget(String database) {
        return databaseBudgets.get(database);
    }

    /** The shared budget of a server login user's backends, or null when no pool logs in as that user yet. */
    public ConnectionBudget userBudget(String serverUser) {
        return userBudgets.get(serverUser);
    }

    /**
     * Applies a reloaded configuration to the pools that exist: new sizes and timeouts at once, a changed address or
     * login by draining (backends to the old target are closed as their clients give them back), a removed database
     * by draining its backends (its connected clients keep their sessions; new ones are refused at startup). Shared
     * limits (max_db_connections, max_user_connections) keep their start-up values.
     *
     * @return one line per pool that changed, for the log
     */
    public List<String> reconfigure(PgmuxConfig newConfig) {
        this.config = newConfig;
        List<String> changes = new ArrayList<>();
        for (Pool pool : pools.values()) {
            PoolKey key = pool.key();
            DatabaseConfig db = newConfig.database(key.database());
            if (db == null) {
                pool.admin().reconnect();
                changes.add("pool " + key + ": database removed, draining its backends");
                continue;
            }
            PoolLimits limits = PoolLimits.from(newConfig, key.database(), key.user());
            if (!limits.equals(pool.limits())) {
                pool.admin().reconfigure(limits);
                changes.add("pool " + key + ": limits now " + limits.maxSize() + " backends (min " + limits.minSize()
                        + ", reserve " + limits.reserveSize() + ")");
            }
            HostChecks.Settings checks = hostChecks(db);
            if (!checks.equals(pool.hostCheckSettings())) {
                pool.hostCheckSettings(checks);
                changes.add("pool " + key + ": health_check_period " + checks.period().toMillis()
                        + " ms, max_replica_lag " + checks.maxReplicaLag().toMillis() + " ms");
            }
            pool.admission(newConfig.admission());
            BackendTarget target = backendTarget(db, key.user());
            if (!target.equals(pool.target())) {
                pool.admin().retarget(target);
                changes.add("pool " + key + ": server changed to " + target + ", draining the old backends");
            }
        }
        return changes;
    }

    /** Stops the janitor, then fails every waiter and closes every backend of every pool. */
    public void closeAll() {
        janitor.stop();
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
        List<Future<Void>> closing = new ArrayList<>();
        pools.values().forEach(pool -> closing.addAll(pool.close()));
        awaitClosed(closing, CLOSE_WAIT_MILLIS);
    }

    /**
     * Waits (bounded) for the backends to be closed, so that when the registry is closed PostgreSQL has ended their
     * sessions too. Skipped on an event loop, which must not block on its own channels.
     */
    private static void awaitClosed(List<Future<Void>> closing, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Future<Void> f : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
            } catch (BlockingOperationException e) {
                return;
            }
        }
    }


    private Pool create(PoolKey key) {
        DatabaseConfig db = config.database(key.database());
        if (db == null) {
            throw new PgException(Severity.FATAL, SqlState.INVALID_CATALOG_NAME,
                    "database \"" + key.database() + "\" does not exist");
        }
        BackendTarget target = backendTarget(db, key.user());
        ConnectionBudget databaseBudget = databaseBudgets.computeIfAbsent(db.name(),
                name -> new ConnectionBudget("database " + name, config.maxDbConnections(name)));
        // PostgreSQL counts connections per role, so the limit follows the login user, not the client's name.
        ConnectionBudget userBudget = userBudgets.computeIfAbsent(target.user(),
                name -> new ConnectionBudget("user " + name, config.maxUserConnections(name)));
        Pool pool = new Pool(key, target, PoolLimits.from(config, key.database(), key.user()), connector,
                databaseBudget, userBudget, loops, clock);
        pool.hostCheckSettings(hostChecks(db));
        pool.admission(config.admission());
        onCreate.accept(pool);
        return pool;
    }

    private static HostChecks.Settings hostChecks(DatabaseConfig db) {
        return new HostChecks.Settings(db.healthCheckPeriod(), db.maxReplicaLag());
    }

    /** The database's own login overrides the client's; otherwise pgmux logs in as the client with its password. */
    private BackendTarget backendTarget(DatabaseConfig db, String clientUser) {
        String user = db.user() != null ? db.user() : clientUser;
        String password = db.password();
        if (password == null) {
            UserConfig u = config.user(user);
            password = u == null ? null : u.password();
        }
        // Without a usable password (none, or only a SCRAM secret), log in with what the client's login taught us.
        return new BackendTarget(db.host(), db.port(), db.dbname(), user, password, db.serverParameters(), passthrough,
                db.hosts(), db.targetSessionAttrs());
    }
}
