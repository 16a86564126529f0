// The errors a client gets when pgmux cannot open or log in a backend, and how the log describes them.
package io.pgmux.pool;

import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Failures to reach a backend, worded for clients: they say what went wrong and nothing about where, so no host,
 * port, errno or exception class reaches a client (PostgreSQL's own login errors are relayed as they are). The
 * low-level cause is kept as the exception's cause, and {@link #describe} puts it in pgmux's log together with the
 * target the caller logs. Stateless.
 */
final class ServerFailures {
    private ServerFailures() {
    }

    /** The TCP connection could not be opened (refused, unreachable, connect timeout). */
    static PgException unreachable(Throwable cause) {
        return failure(SqlState.CONNECTION_FAILURE, "pgmux could not connect to the database server", cause);
    }

    /** The connection broke after it was opened, before the login finished. */
    static PgException lost(Throwable cause) {
        if (isTls(cause)) {
            return failure(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "pgmux could not establish TLS with the database server", cause);
        }
        return failure(SqlState.CONNECTION_FAILURE, "pgmux lost the connection to the database server during login",
                cause);
    }

    static PgException closedDuringLogin() {
        return failure(SqlState.CONNECTION_FAILURE, "the database server closed the connection during login", null);
    }

    static PgException loginTimedOut(Duration connectTimeout) {
        return failure(SqlState.CONNECTION_FAILURE, "pgmux could not log in to the database server within "
                + "server_connect_timeout (" + connectTimeout.toMillis() + " ms)", null);
    }

    /** For the log: the message and the root cause beneath it, with its class (the layers between repeat it). */
    static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage()) : failure.getMessage() + ": " + root;
    }

    private static boolean isTls(Throwable cause) {
        return cause instanceof SSLException || cause != null && cause.getCause() instanceof SSLException;
    }

    private static PgException failure(String sqlState, String message, Throwable cause) {
        return new PgException(Severity.FATAL, sqlState, message, null, null, cause);
    }
}
