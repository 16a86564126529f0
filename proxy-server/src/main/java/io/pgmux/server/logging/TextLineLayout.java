// The text log layout, written out in code: date, level, thread, logger, escaped message, stack trace.
package io.pgmux.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.util.CachingDateFormatter;

/**
 * Writes each event as the line {@value #PATTERN} (a logback pattern) would, with the message escaped by
 * {@link LogSafe#escape} so that one event stays one line even if a value reached a log call unescaped, and the stack
 * trace of an event with a throwable on the lines after it, as a pattern layout appends it.
 *
 * <p>Why not logback's {@code PatternLayout}: compiling a pattern loads its parser and registers every converter it
 * knows (about 60, each through a lambda), some 100 classes and a tenth of a second of pgmux's start-up for five
 * fields. The date and the stack trace still come from logback's own formatter and converter, so the output is the
 * pattern's to the character ({@code TextLineLayoutTest} compares the two).
 */
final class TextLineLayout extends LayoutBase<ILoggingEvent> {

    /** What this layout writes, in logback's pattern language ({@code %safeMsg} is the escaped message). */
    static final String DATE_PATTERN = "yyyy-MM-dd HH:mm:ss.SSS z";
    static final String PATTERN = "%d{" + DATE_PATTERN + "} %-5level [%thread] %logger{0} - %safeMsg%n";
    private static final int LEVEL_WIDTH = 5;

    /** Formats the time once per second and reuses it (as the pattern's {@code %d} does); thread-safe. */
    private final CachingDateFormatter dates = new CachingDateFormatter(DATE_PATTERN, null);
    private final ThrowableProxyConverter stackTraces = new ThrowableProxyConverter();

    @Override
    public void start() {
        stackTraces.setContext(getContext());
        stackTraces.start();
        super.start();
    }

    @Override
    public void stop() {
        stackTraces.stop();
        super.stop();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        line.append(dates.format(event.getTimeStamp())).append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int i = level.length(); i < LEVEL_WIDTH; i++) {
            line.append(' ');
        }
        line.append(" [").append(event.getThreadName()).append("] ");
        String logger = event.getLoggerName();
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
        line.append(LogSafe.escape(event.getFormattedMessage())).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(stackTraces.convert(event));
        }
        return line.toString();
    }
}
