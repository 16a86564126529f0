// The sizes, timeouts and queries one pool enforces, resolved from the configuration for one (database, user) pair.
package io.pgmux.pool;

import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.PoolSettings;
import io.pgmux.config.Timeouts;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings one pool enforces. Shared limits (max_db_connections, max_user_connections) are not here: they span
 * pools and live in {@link ConnectionBudget}s.
 *
 * @param maxSize           backends open at once in normal operation (default_pool_size or the database's pool_size)
 * @param minSize           backends kept open even when idle (min_pool_size, capped at {@code maxSize})
 * @param reserveSize       extra backends allowed beyond {@code maxSize} once a client waited {@code reserveTimeout}
 * @param reserveTimeout    reserve_pool_timeout
 * @param queryWaitTimeout  how long a client may wait for a backend before it gets an error; 0 = forever
 * @param resetQuery        run when a session-mode client leaves (server_reset_query); empty for none
 * @param checkQuery        run on a backend idle longer than {@code checkDelay} before lending it; empty for none
 * @param checkDelay        server_check_delay; 0 = check before every lending
 * @param checkTimeout      a check slower than this counts as failed (server_connect_timeout)
 * @param serverLifetime    backends older than this are closed instead of reused
 * @param serverIdleTimeout idle backends unused longer than this are closed, down to {@code minSize}
 * @param loginRetry        after a failed connect or login, no new attempt for this long (server_login_retry)
 * @param maxWaiting        clients that may wait at once; one more is refused at once (max_waiting_clients);
 *                          0 = unbounded
 * @param failoverHold      after logins that used to succeed start failing (a restart, a failover), how long the
 *                          pool keeps clients waiting and retries quickly instead of backing off for
 *                          {@code loginRetry} (failover_hold_timeout); 0 = no hold
 * @param roundRobin        lend the least recently used idle backend instead of the most recently used one
 *                          (server_round_robin), so that every backend gets its share of the load
 */
public record PoolLimits(int maxSize, int minSize, int reserveSize, Duration reserveTimeout, Duration queryWaitTimeout,
        String resetQuery, String checkQuery, Duration checkDelay, Duration checkTimeout, Duration serverLifetime,
        Duration serverIdleTimeout, Duration loginRetry, int maxWaiting, Duration failoverHold, boolean roundRobin) {

    /**
     * Caps {@code minSize} at {@code maxSize} and turns null queries into "none".
     *
     * @throws IllegalArgumentException for a size below its minimum (maxSize 1, the others 0)
     * @throws NullPointerException     for a null duration
     */
    public PoolLimits {
        if (maxSize < 1 || minSize < 0 || reserveSize < 0 || maxWaiting < 0) {
            throw new IllegalArgumentException("invalid pool sizes: max " + maxSize + ", min " + minSize
                    + ", reserve " + reserveSize + ", waiting " + maxWaiting);
        }
        minSize = Math.min(minSize, maxSize);
        resetQuery = resetQuery == null ? "" : resetQuery;
        checkQuery = checkQuery == null ? "" : checkQuery;
        Objects.requireNonNull(reserveTimeout, "reserveTimeout");
        Objects.requireNonNull(queryWaitTimeout, "queryWaitTimeout");
        Objects.requireNonNull(checkDelay, "checkDelay");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
        Objects.requireNonNull(serverLifetime, "serverLifetime");
        Objects.requireNonNull(serverIdleTimeout, "serverIdleTimeout");
        Objects.requireNonNull(loginRetry, "loginRetry");
        Objects.requireNonNull(failoverHold, "failoverHold");
    }

    /** Limits that lend the most recently used idle backend first. */
    public PoolLimits(int maxSize, int minSize, int reserveSize, Duration reserveTimeout, Duration queryWaitTimeout,
            String resetQuery, String checkQuery, Duration checkDelay, Duration checkTimeout, Duration serverLifetime,
            Duration serverIdleTimeout, Duration loginRetry, int maxWaiting, Duration failoverHold) {
        this(maxSize, minSize, reserveSize, reserveTimeout, queryWaitTimeout, resetQuery, checkQuery, checkDelay,
                checkTimeout, serverLifetime, serverIdleTimeout, loginRetry, maxWaiting, failoverHold, false);
    }

    /** Limits with the default failover hold. */
    public PoolLimits(int maxSize, int minSize, int reserveSize, Duration reserveTimeout, Duration queryWaitTimeout,
            String resetQuery, String checkQuery, Duration checkDelay, Duration checkTimeout, Duration serverLifetime,
            Duration serverIdleTimeout, Duration loginRetry, int maxWaiting) {
        this(maxSize, minSize, reserveSize, reserveTimeout, queryWaitTimeout, resetQuery, checkQuery, checkDelay,
                checkTimeout, serverLifetime, serverIdleTimeout, loginRetry, maxWaiting,
                DatabaseConfig.DEFAULT_FAILOVER_HOLD);
    }

    /** Limits with an unbounded wait queue. */
    public PoolLimits(int maxSize, int minSize, int reserveSize, Duration reserveTimeout, Duration queryWaitTimeout,
            String resetQuery, String checkQuery, Duration checkDelay, Duration checkTimeout, Duration serverLifetime,
            Duration serverIdleTimeout, Duration loginRetry) {
        this(maxSize, minSize, reserveSize, reserveTimeout, queryWaitTimeout, resetQuery, checkQuery, checkDelay,
                checkTimeout, serverLifetime, serverIdleTimeout, loginRetry, 0);
    }

    /**
     * Plain limits: a size, a wait timeout and a reset query; no minimum, no reserve, no check, and the documented
     * default lifetime, idle timeout and login retry.
     */
    public PoolLimits(int maxSize, Duration queryWaitTimeout, String resetQuery) {
        this(maxSize, 0, 0, Duration.ofSeconds(5), queryWaitTimeout, resetQuery, "", Duration.ZERO,
                Timeouts.defaults().serverConnectTimeout(), Timeouts.defaults().serverLifetime(),
                Timeouts.defaults().serverIdleTimeout(), Timeouts.defaults().serverLoginRetry());
    }

    /**
     * The limits of the pool of {@code user} on {@code database}, with the pool size and reserve of the user or the
     * database, and the database's own minimum and server_lifetime, applied.
     */
    public static PoolLimits from(PgmuxConfig config, String database, String user) {
        PoolSettings pool = config.pool();
        Timeouts t = config.timeouts();
        DatabaseConfig db = config.database(database);
        return new PoolLimits(config.poolSize(database, user), config.minPoolSize(database),
                config.reservePoolSize(database, user),
                pool.reservePoolTimeout(), t.queryWaitTimeout(), pool.serverResetQuery(), pool.serverCheckQuery(),
                t.serverCheckDelay(), t.serverConnectTimeout(), config.serverLifetime(database), t.serverIdleTimeout(),
                t.serverLoginRetry(), pool.maxWaitingClients(),
                db == null ? DatabaseConfig.DEFAULT_FAILOVER_HOLD : db.failoverHoldTimeout(),
                pool.serverRoundRobin());
    }

    /** The same limits, lending the least recently used idle backend first when {@code on}. */
    public PoolLimits withRoundRobin(boolean on) {
        return new PoolLimits(maxSize, minSize, reserveSize, reserveTimeout, queryWaitTimeout, resetQuery, checkQuery,
                checkDelay, checkTimeout, serverLifetime, serverIdleTimeout, loginRetry, maxWaiting, failoverHold, on);
    }
}
