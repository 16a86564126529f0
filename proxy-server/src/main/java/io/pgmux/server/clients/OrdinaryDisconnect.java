// Tells a client that simply went away from a failure worth reporting.
package io.pgmux.server.clients;

import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Recognises the exceptions a client causes by leaving without a Terminate: a reset connection, a broken pipe, a
 * channel already closed. They are the client's ordinary way out, not a pgmux error: nothing is sent (nobody is
 * listening), nothing is counted on the metrics endpoint, and no stack trace is logged. Stateless.
 */
public final class OrdinaryDisconnect {
    /** What the JDK's own sockets (NIO transport) say for ECONNRESET and EPIPE. */
    private static final String[] JDK_MESSAGES = {"Connection reset", "Connection reset by peer", "Broken pipe"};

    private OrdinaryDisconnect() {
    }

    public static boolean is(Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            return true;
        }
        if (cause instanceof Errors.NativeIoException nativeError) {
            // io_uring and epoll: safe to touch Errors here, the native library that threw this is loaded.
            int errno = nativeError.expectedErr();
            return errno == Errors.ERRNO_ECONNRESET_NEGATIVE || errno == Errors.ERRNO_EPIPE_NEGATIVE;
        }
        if (cause instanceof IOException && cause.getClass().getName().startsWith("java.")) {
            for (String message : JDK_MESSAGES) {
                if (message.equals(cause.getMessage())) {
                    return true;
                }
            }
        }
        return false;
    }
}
