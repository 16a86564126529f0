// The typed failure the proxy reports to a PostgreSQL client as an ErrorResponse.
package io.pgmux.protocol;

import java.util.Objects;

/**
 * A failure to be reported to a PostgreSQL client as an ErrorResponse; the one typed exception the proxy converts
 * in one place (see {@link BackendMessages#errorResponse(io.netty.buffer.ByteBufAllocator, PgException)}).
 *
 * <p>{@link #getMessage()} is the primary message ('M' field). A {@link Severity#FATAL} error means the client
 * connection is closed after the ErrorResponse has been sent. Messages reach clients verbatim: no secrets in them.
 */
public class PgException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Severity severity;
    private final String sqlState;
    private final String detail;
    private final String hint;

    public PgException(Severity severity, String sqlState, String message) {
        this(severity, sqlState, message, null, null);
    }

    public PgException(Severity severity, String sqlState, String message, String detail, String hint) {
        this(severity, sqlState, message, detail, hint, null);
    }

    public PgException(Severity severity, String sqlState, String message, String detail, String hint,
                       Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.severity = Objects.requireNonNull(severity, "severity");
        this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
        this.detail = detail;
        this.hint = hint;
    }

    public Severity severity() {
        return severity;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The optional 'D' field, or null. */
    public String detail() {
        return detail;
    }

    /** The optional 'H' field, or null. */
    public String hint() {
        return hint;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + ": " + severity + " " + sqlState + " " + getMessage();
    }
}
