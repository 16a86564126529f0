// The operator's levers on a running pgmux: pause, resume, disable, kill, reconnect, reload, shutdown.
package io.pgmux.server.admin;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.server.notify.NotifyHubs;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.clients.ClientRegistry;
import io.pgmux.server.logging.LogSafe;
import io.pgmux.server.metrics.ClientEntry;
import io.pgmux.server.metrics.PinFigures;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared by the admin console, the signal handlers and the client startup path of one server. The commands act on
 * the pools that exist, and PAUSE, SUSPEND and KILL also on pools created before the RESUME (e.g. for the first
 * client of another user); they return at once; PAUSE and
 * WAIT_CLOSE are complete when {@link #busyServers} or {@link #closePending} reach 0, which the console polls.
 *
 * <p>Threading: any thread. The disabled set is concurrent; pools synchronise themselves.
 */
public final class ServerControl {
    private static final Logger log = LoggerFactory.getLogger(ServerControl.class);

    private final Supplier<PgmuxConfig> config;
    private final PoolRegistry pools;
    private final ClientRegistry clients;
    private final PinFigures pins;
    private final Supplier<CompletableFuture<List<String>>> reload;
    private final Consumer<ShutdownMode> shutdown;
    private final NotifyHubs notifyHubs;
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    /** Databases under PAUSE or KILL (until RESUME): pools created for them meanwhile start paused too. */
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private volatile boolean pausedAll;
    private final long startedAtMillis = System.currentTimeMillis();
    private final StatsPeriod statsPeriod = new StatsPeriod(this);
    private volatile boolean suspended;

    /**
     * @param reload   starts re-reading and applying the configuration off the caller's thread; the future
     *                 completes with what changed, or fails with {@link io.pgmux.config.ConfigException} when the
     *                 new file is invalid (nothing applied)
     * @param shutdown stops the server as the mode says, waiting if it says so; called on a thread of its own
     * @param notifyHubs the server's listening connections, for SHOW SERVERS
     */
    public ServerControl(Supplier<PgmuxConfig> config, PoolRegistry pools, ClientRegistry clients, PinFigures pins,
                         Supplier<CompletableFuture<List<String>>> reload, Consumer<ShutdownMode> shutdown,
                         NotifyHubs notifyHubs) {
        this.notifyHubs = notifyHubs;
        this.config = config;
        this.pools = pools;
        this.clients = clients;
        this.pins = pins;
        this.reload = reload;
        this.shutdown = shutdown;
        pools.onPoolCreated(pool -> {
            if (pausedAll || paused.contains(pool.key().database())) {
                pool.admin().pause();
            }
        });
    }

    /** The server's listening connections (LISTEN fan-out). */
    public NotifyHubs notifyHubs() {
        return notifyHubs;
    }

    /** The virtual databases of the console: PgBouncer's name, so existing tools find it, and pgmux's own. */
    public static boolean isConsole(String database) {
        return "pgbouncer".equals(database) || "pgmux".equals(database);
    }

    /**
     * Refuses a client of a database DISABLEd by the operator.
     *
     * @throws PgException 55000 when the database is disabled
     */
    public void checkAdmission(String database) {
        if (disabled.contains(database)) {
            throw new PgException(Severity.FATAL, SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "database \"" + database + "\" does not allow connections (DISABLE)");
        }
    }

    PgmuxConfig config() {
        return config.get();
    }

    PoolRegistry pools() {
        return pools;
    }

    ClientRegistry clients() {
        return clients;
    }

    PinFigures pins() {
        return pins;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    StatsPeriod statsPeriod() {
        return statsPeriod;
    }

    boolean isDisabled(String database) {
        return disabled.contains(database);
    }

    boolean isSuspended() {
        return suspended;
    }

    /** The pools of {@code database}, or of every database when null. */
    List<Pool> poolsOf(String database) {
        return pools.pools().stream().filter(p -> database == null || p.key().database().equals(database)).toList();
    }

    /**
     * @throws PgException 3D000 when a database is named and not configured
     */
    void requireDatabase(String database) {
        if (database != null && config.get().database(database) == null) {
            throw new PgException(Severity.ERROR, SqlState.INVALID_CATALOG_NAME,
                    "no such database: " + database);
        }
    }

    void pause(String database) {
        markPaused(database);
        poolsOf(database).forEach(p -> p.admin().pause());
        log.info("PAUSE {}", database == null ? "(all databases)" : LogSafe.escape(database));
    }

    /** Backends of the paused pools still held by clients; PAUSE completes at 0, then closes the idle ones. */
    int busyServers(String database) {
        return poolsOf(database).stream().mapToInt(p -> p.admin().busyServers()).sum();
    }

    void closeIdle(String database) {
        poolsOf(database).forEach(p -> p.admin().closeIdle());
    }

    void resume(String database) {
        suspended = false;
        if (database == null) {
            pausedAll = false;
            paused.clear();
        } else {
            paused.remove(database);
        }
        poolsOf(database).forEach(p -> p.admin().resume());
        log.info("RESUME {}", database == null ? "(all databases)" : LogSafe.escape(database));
    }

    void suspend() {
        suspended = true;
        pausedAll = true;
        poolsOf(null).forEach(p -> p.admin().pause());
        log.info("SUSPEND");
    }

    private void markPaused(String database) {
        if (database == null) {
            pausedAll = true;
        } else {
            paused.add(database);
        }
    }

    void disable(String database) {
        disabled.add(database);
        log.info("DISABLE {}: new clients are refused", LogSafe.escape(database));
    }

    void enable(String database) {
        disabled.remove(database);
        log.info("ENABLE {}", LogSafe.escape(database));
    }

    /** Closes every client and backend of the database at once; its pools stay paused until RESUME. */
    void kill(String database) {
        markPaused(database);
        for (ClientEntry client : clients.loggedInClients()) {
            if (client.database().equals(database)) {
                client.channel().close();
            }
        }
        for (Pool pool : poolsOf(database)) {
            pool.admin().pause();
            pool.admin().kill();
        }
        log.info("KILL {}: clients and backends closed; paused until RESUME", LogSafe.escape(database));
    }

    void reconnect(String database) {
        poolsOf(database).forEach(p -> p.admin().reconnect());
        log.info("RECONNECT {}", database == null ? "(all databases)" : LogSafe.escape(database));
    }

    int closePending(String database) {
        return poolsOf(database).stream().mapToInt(p -> p.admin().closePending()).sum();
    }

    /** Starts re-reading the configuration; see the constructor for how the future completes. */
    CompletableFuture<List<String>> reload() {
        return reload.get();
    }

    /** Starts the shutdown on a thread of its own: the waiting modes may take as long as the clients do. */
    void shutdown(ShutdownMode mode) {
        log.info("SHUTDOWN{} requested from the admin console",
                mode == ShutdownMode.IMMEDIATE ? "" : " " + mode.name());
        Thread stopper = new Thread(() -> shutdown.accept(mode), "pgmux-shutdown");
        stopper.setDaemon(false);
        stopper.start();
    }
}
