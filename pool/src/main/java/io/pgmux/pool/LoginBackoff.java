// Remembers a pool's last failed backend login and for how long no new attempt may be made (server_login_retry).
package io.pgmux.pool;

import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;

/**
 * The back-off after a failed connect or login: while it lasts, the pool opens nothing, so a server that refuses
 * logins (wrong password, too many connections, restarting) is not hammered by every client that arrives. A
 * successful login ends it early. Not thread-safe: the owning {@link Pool} guards it with its monitor.
 */
final class LoginBackoff {
    private final long retryNanos;
    private long failedAtNanos;
    private PgException lastError;

    LoginBackoff(long retryNanos) {
        this.retryNanos = retryNanos;
    }

    void failed(long now, Throwable cause) {
        failedAtNanos = now;
        lastError = cause instanceof PgException pg ? pg : ServerFailures.unreachable(cause);
    }

    void succeeded() {
        lastError = null;
    }

    /** True while no new backend may be opened. */
    boolean active(long now) {
        return lastError != null && now - failedAtNanos < retryNanos;
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
