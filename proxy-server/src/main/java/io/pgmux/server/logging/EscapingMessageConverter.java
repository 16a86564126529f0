// The %msg of the text log layout with control characters escaped.
package io.pgmux.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Writes the formatted log message with {@link LogSafe#escape} applied, so that one event stays one line of the text
 * layout even if a value reached a log call unescaped. Registered by {@link ConsoleLogging} as {@code %safeMsg}. The
 * JSON layout needs no such help: its encoder escapes control characters as JSON requires, which keeps one object
 * per line.
 */
public final class EscapingMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogSafe.escape(event.getFormattedMessage());
    }
}
