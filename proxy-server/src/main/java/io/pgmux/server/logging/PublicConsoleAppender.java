// The console appender, which encodes but does not write the events of the server pgmux runs for its warm-up.
package io.pgmux.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

/**
 * Writes every event to the console except those logged on the threads of a server pgmux runs inside itself (the
 * start-up warm-up's private listener, whose threads are named {@value #PRIVATE_THREADS}...). Those are encoded
 * and then dropped: the warm-up's synthetic logins go through the same logging calls, layout and encoder as real
 * clients' logins, so that this code is compiled before the first storm too, yet the log shows none of them.
 */
public final class PublicConsoleAppender extends ConsoleAppender<ILoggingEvent> {
    /** The thread name prefix of a private server's event loops. */
    public static final String PRIVATE_THREADS = "pgmux-private-";

    @Override
    protected void subAppend(ILoggingEvent event) {
        if (event.getThreadName().startsWith(PRIVATE_THREADS)) {
            getEncoder().encode(event);
            return;
        }
        super.subAppend(event);
    }
}
