// Maps client failures to the keys errors are counted under: SQLSTATE where there is one.
package io.pgmux.loadtest.driver;

import io.pgmux.loadtest.client.PgClientException;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Error keys: a SQLSTATE such as {@code 53300}, or {@code timeout} / the exception's simple class name. */
public final class ErrorKeys {
    private ErrorKeys() {
    }

    public static String of(Throwable error) {
        Throwable e = error;
        for (int depth = 0; depth < 10 && (e instanceof CompletionException || e instanceof ExecutionException)
                && e.getCause() != null; depth++) {
            e = e.getCause();
        }
        if (e instanceof PgClientException) {
            return ((PgClientException) e).sqlState();
        }
        if (e instanceof SQLException && ((SQLException) e).getSQLState() != null) {
            return ((SQLException) e).getSQLState();
        }
        if (e instanceof TimeoutException) {
            return "timeout";
        }
        return e.getClass().getSimpleName();
    }
}
