// Remembers a pool's last failed backend login and for how long no new attempt may be made (server_login_retry).
package io.pgmux.pool;

import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;

/**
 * The back-off after a failed connect or login: while it lasts, the pool opens nothing, so a server that refuses
 * logins (wrong password, too many connections) is not hammered by every client that arrives. A successful login
 * ends it early.
 *
 * <p>The failover hold: when logins that used to succeed start failing (the server restarts, or the primary goes
 * away and a standby is being promoted), the pool is <em>holding</em> for {@code holdNanos} from the first failure:
 * it retries after a short back-off that grows from {@link #FIRST_RETRY_NANOS} to {@link #MAX_FAST_RETRY_NANOS}
 * (never more than server_login_retry), and clients that arrive keep waiting instead of being refused, so that
 * traffic resumes within a fraction of a second of the server accepting logins again. After the hold, the back-off is
 * server_login_retry again. A pool that never logged in does not hold: its failures are most likely a mistake in the
 * configuration, not a failover. Nor does a failure that says the server is up and refuses (a wrong password, too
 * many connections): retrying it quickly would only add load. What starts a hold is a server that cannot be reached
 * or that says it is starting, stopping or in recovery (08006, 08001, 57P01, 57P02, 57P03), and a database with no
 * host of the wanted role.
 *
 * <p>Not thread-safe: the owning {@link PoolLedger} guards it with its monitor.
 */
final class LoginBackoff {
    static final long FIRST_RETRY_NANOS = 25_000_000L;
    static final long MAX_FAST_RETRY_NANOS = 200_000_000L;

    private long retryNanos;
    private long holdNanos;
    private long failedAtNanos;
    private PgException lastError;
    /** When the current run of failures began, if the pool had logged in before it; else -1. */
    private long holdingSinceNanos = -1;
    private int failuresInHold;

    LoginBackoff(long retryNanos, long holdNanos) {
        this.retryNanos = retryNanos;
        this.holdNanos = holdNanos;
    }

    /** A reload changed server_login_retry or failover_hold_timeout. */
    void retune(long newRetryNanos, long newHoldNanos) {
        retryNanos = newRetryNanos;
        holdNanos = newHoldNanos;
    }

    /** A login failed; {@code everLoggedIn} says whether the pool had ever logged in a backend. */
    void failed(long now, Throwable cause, boolean everLoggedIn) {
        PgException error = cause instanceof PgException pg ? pg : ServerFailures.unreachable(cause);
        if (lastError == null) {
            holdingSinceNanos = everLoggedIn && holdNanos > 0 && serverGone(error) ? now : -1;
            failuresInHold = 0;
        }
        failedAtNanos = now;
        failuresInHold++;
        lastError = error;
    }

    /** True for the errors of a server that is away (restarting, failing over), not one refusing this login. */
    static boolean serverGone(PgException error) {
        return switch (error.sqlState()) {
            case SqlState.CONNECTION_FAILURE, SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                 SqlState.ADMIN_SHUTDOWN, SqlState.CRASH_SHUTDOWN, SqlState.CANNOT_CONNECT_NOW -> true;
            default -> false;
        };
    }

    /**
     * A login succeeded; returns how long the hold lasted in nanoseconds (from the first failure), or -1 when the
     * pool was not holding.
     */
    long succeeded(long now) {
        long held = lastError != null && holdingSinceNanos >= 0 ? now - holdingSinceNanos : -1;
        lastError = null;
        holdingSinceNanos = -1;
        return held;
    }

    /** True while no new backend may be opened. */
    boolean active(long now) {
        return lastError != null && now - failedAtNanos < currentRetryNanos(now);
    }

    /** True while logins are failing and clients are held rather than refused (see the class comment). */
    boolean holding(long now) {
        return lastError != null && holdingSinceNanos >= 0 && now - holdingSinceNanos < holdNanos;
    }

    /** True when the hold ran out without a successful login: the failure is now the clients' to see. */
    boolean holdExpired(long now) {
        return lastError != null && holdingSinceNanos >= 0 && now - holdingSinceNanos >= holdNanos;
    }

    /** How long after the last failure the next attempt may start. */
    long currentRetryNanos(long now) {
        if (!holding(now)) {
            return retryNanos;
        }
        long fast = FIRST_RETRY_NANOS << Math.min(failuresInHold - 1, 8);
        return Math.min(retryNanos, Math.min(fast, MAX_FAST_RETRY_NANOS));
    }

    /** The last login error, or null when the last attempt succeeded. */
    PgException lastError() {
        return lastError;
    }

    /**
     * What a client gets when it arrives during the back-off at a pool with no backend: the last error's SQLSTATE
     * and text, saying that it is not a fresh attempt.
     */
    PgException failingError() {
        return new PgException(Severity.FATAL, lastError.sqlState(), "server login has been failing, try again later"
                + " (server_login_retry): " + lastError.getMessage(), lastError.detail(), lastError.hint());
    }
}
