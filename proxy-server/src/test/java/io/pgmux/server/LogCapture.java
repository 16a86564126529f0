package io.pgmux.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Records what pgmux logs while a test runs: an appender on the {@code io.pgmux} logger, with the given loggers
 * lowered to {@code level} so that their events are produced at all. Closing it restores the levels.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final Logger pgmux;
    private final Map<Logger, Level> previousLevels = new HashMap<>();

    /** Captures everything at {@code level} and above from {@code io.pgmux} and from each of {@code loggers}. */
    LogCapture(Level level, String... loggers) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        pgmux = context.getLogger("io.pgmux");
        lower(pgmux, level);
        for (String name : loggers) {
            lower(context.getLogger(name), level);
        }
        setContext(context);
        setName("test-capture");
        start();
        pgmux.addAppender(this);
    }

    private void lower(Logger logger, Level level) {
        previousLevels.put(logger, logger.getLevel());
        logger.setLevel(level);
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // formats the message now, on the logging thread
        events.add(event);
    }

    List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    List<String> messages() {
        return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        pgmux.detachAppender(this);
        stop();
        previousLevels.forEach(Logger::setLevel);
    }
}
