package io.pgmux.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * pgmux's console logging, set up in code: one line per event, plain text or (with {@code PGMUX_LOG_FORMAT=json})
 * one JSON object per line for log shippers, at {@code PGMUX_LOG_LEVEL} (default INFO). Both are read from a system
 * property or else the environment.
 *
 * <p>Why not a {@code logback.xml}: parsing it loads an XML parser and logback's configuration model, about 600
 * classes, which was the largest single part of pgmux's start-up. An operator's own file still wins: with
 * {@code -Dlogback.configurationFile=...} (or a {@code logback-test.xml} on the class path, as in tests) this
 * configurator steps aside and logback reads that file as usual.
 *
 * <p>Values a client chose are escaped where they are logged ({@link LogSafe}); the text layout escapes control
 * characters once more ({@link TextLineLayout}) so that one event is always one line, and the JSON encoder escapes
 * them as JSON requires.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null
                || getClass().getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up the console appender and levels of {@code context}. */
    static void apply(LoggerContext context) {
        String format = setting(context, "PGMUX_LOG_FORMAT", "text");
        ConsoleAppender<ILoggingEvent> appender = new PublicConsoleAppender();
        appender.setContext(context);
        boolean json = "json".equals(format.toLowerCase(Locale.ROOT));
        appender.setName(json ? "json" : "text");
        appender.setEncoder(json ? jsonEncoder(context) : textEncoder(context));
        appender.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting(context, "PGMUX_LOG_LEVEL", "INFO"), Level.INFO));
        root.addAppender(appender);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.zonky").setLevel(Level.WARN);
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        TextLineLayout layout = new TextLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.start();
        return encoder;
    }

    /** A context property (as a test sets), else a system property, else the environment, else the default. */
    private static String setting(LoggerContext context, String name, String fallback) {
        String value = context.getProperty(name);
        if (value == null) {
            value = System.getProperty(name);
        }
        if (value == null) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
