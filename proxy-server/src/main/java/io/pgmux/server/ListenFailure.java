// A listener that could not bind its address: one line for the operator, naming the address.
package io.pgmux.server;

import io.pgmux.config.HostPort;
import java.net.BindException;
import java.util.Locale;

/**
 * Thrown by {@link PgmuxServer#start()} when the client listener or the admin HTTP listener cannot bind. Its message
 * is the whole story ({@code cannot listen on 127.0.0.1:6432 for clients: address already in use}), so the command
 * line prints it alone, without a stack trace.
 */
public final class ListenFailure extends RuntimeException {

    private ListenFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Explains {@code cause}, a failed bind of {@code address}; {@code what} says whose listener it is. */
    static ListenFailure of(Throwable cause, HostPort address, String what) {
        return of(cause, address.toString(), what);
    }

    /** As {@link #of(Throwable, HostPort, String)} for an address that is no HOST:PORT (a Unix socket file). */
    static ListenFailure of(Throwable cause, String address, String what) {
        return new ListenFailure("cannot listen on " + address + " for " + what + ": " + reason(cause), cause);
    }

    private static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("already in use")) {
                return "address already in use (another pgmux or PgBouncer?)";
            }
            if (message.contains("permission denied") || message.contains("access denied")) {
                return "permission denied (ports below 1024 need privileges)";
            }
            if (message.contains("cannot assign requested address")) {
                return "no such local address";
            }
            if (t instanceof BindException) {
                return t.getMessage();
            }
        }
        return String.valueOf(cause.getMessage());
    }
}
