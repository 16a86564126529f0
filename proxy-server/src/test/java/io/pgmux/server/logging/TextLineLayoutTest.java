package io.pgmux.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TextLineLayout} writes what logback's pattern layout writes for its pattern, character for character: the
 * layout pgmux had before it was written out in code, which operators' log parsers may rely on.
 */
@DetectLeaks
class TextLineLayoutTest {
    private final LoggerContext context = new LoggerContext();
    private final TextLineLayout layout = new TextLineLayout();
    private final PatternLayout reference = new PatternLayout();

    TextLineLayoutTest() {
        layout.setContext(context);
        layout.start();
        reference.setContext(context);
        reference.getInstanceConverterMap().put("safeMsg", EscapedMessage::new);
        reference.setPattern(TextLineLayout.PATTERN);
        reference.start();
    }

    @AfterEach
    void stop() {
        layout.stop();
        reference.stop();
        context.stop();
    }

    @Test
    void aPlainEventIsThePatternsLine() {
        assertSameLine(event("io.pgmux.server.PgmuxServer", Level.INFO, "pgmux listening on {}", null,
                "127.0.0.1:6432"));
    }

    @Test
    void everyLevelIsPaddedAsThePatternPadsIt() {
        for (Level level : new Level[] {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
            assertSameLine(event("io.pgmux.pool.Pool", level, "a message", null));
        }
    }

    @Test
    void aLoggerWithoutAPackageKeepsItsWholeName() {
        assertSameLine(event("pgmux", Level.WARN, "short", null));
    }

    @Test
    void controlCharactersAreEscapedAsBefore() {
        String line = layout.doLayout(event("io.pgmux.server.login.ClientAuthHandler", Level.INFO, "user {}", null,
                "evil\n12:00:00.000 INFO  [main] PgmuxServer - forged\r\u0085"));

        assertThat(line.substring(0, line.length() - System.lineSeparator().length()))
                .doesNotContain("\n", "\r", "\u0085").endsWith(" - user evil\\n12:00:00.000 INFO  [main] "
                        + "PgmuxServer - forged\\r\\u0085");
        assertSameLine(event("io.pgmux.server.login.ClientAuthHandler", Level.INFO, "user {}", null,
                "evil\n\tforged"));
    }

    @Test
    void aThrowableFollowsTheLineWithItsCausesAsThePatternWritesThem() {
        IllegalStateException failure = new IllegalStateException("outer", new RuntimeException("inner\ncause"));
        failure.addSuppressed(new IllegalArgumentException("suppressed"));
        String line = layout.doLayout(event("io.pgmux.server.PgmuxServer", Level.ERROR, "failed", failure));

        assertThat(line).contains("java.lang.IllegalStateException: outer", "Caused by: java.lang.RuntimeException",
                "Suppressed: java.lang.IllegalArgumentException: suppressed", "\tat ");
        assertSameLine(event("io.pgmux.server.PgmuxServer", Level.ERROR, "failed", failure));
    }

    private void assertSameLine(ILoggingEvent event) {
        assertThat(layout.doLayout(event)).isEqualTo(reference.doLayout(event));
    }

    private ILoggingEvent event(String loggerName, Level level, String message, Throwable thrown, Object... args) {
        Logger logger = context.getLogger(loggerName);
        return new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, args);
    }

    /** The converter pgmux's pattern used for {@code %safeMsg} before the layout was written out. */
    public static final class EscapedMessage extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return LogSafe.escape(event.getFormattedMessage());
        }
    }
}
