package io.pgmux.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * pgmux's own logging set-up ({@link ConsoleLogging}) writes one line per event in both layouts, even for a message that reached the logger with
 * a raw line break (a value some call site forgot to escape).
 */
class LogLayoutTest {
    private static final String INJECTED = "user evil\n12:00:00.000 INFO  [main] PgmuxServer - forged\r\u0085";

    @Test
    void textLayoutEscapesControlCharacters() throws Exception {
        String line = encode("text");
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r", "\u0085")
                .endsWith(" - user evil\\n12:00:00.000 INFO  [main] PgmuxServer - forged\\r\\u0085");
    }

    @Test
    void jsonLayoutWritesOneObjectPerLine() throws Exception {
        String line = encode("json");
        assertThat(line).startsWith("{").endsWith("}\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r")
                .contains("\"formattedMessage\":\"user evil\\n12:00:00.000");
    }

    @Test
    void anOperatorsOwnConfigurationFileWins() {
        // the test class path has a logback-test.xml, as an operator's -Dlogback.configurationFile would be
        LoggerContext context = new LoggerContext();
        ConsoleLogging configurator = new ConsoleLogging();
        configurator.setContext(context);

        assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void textLinesStartWithTheDateTimeAndZone() throws Exception {
        assertThat(encode("text")).matches("(?s)\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\S+ INFO .*");
    }

    @Test
    void jsonLinesCarryTheClientsDatabaseUserAndIdAsFields() throws Exception {
        LogbackMDCAdapter mdc = new LogbackMDCAdapter();
        mdc.put(ClientMdc.DATABASE, "app");
        mdc.put(ClientMdc.USER, "alice");
        mdc.put(ClientMdc.CLIENT_ID, "42");
        assertThat(encode("json", mdc)).contains("\"database\":\"app\"", "\"user\":\"alice\"",
                "\"client_id\":\"42\"");
    }

    private static String encode(String format) throws Exception {
        return encode(format, new LogbackMDCAdapter()); // what SLF4J's binding would give the default context
    }

    /** One event with {@link #INJECTED} as its message, encoded by the named appender of the production config. */
    private static String encode(String format, LogbackMDCAdapter mdc) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(mdc);
        context.putProperty("PGMUX_LOG_FORMAT", format);
        ConsoleLogging.apply(context);
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            OutputStreamAppender<?> appender = (OutputStreamAppender<?>) root.getAppender(format);
            assertThat(appender).as("appender " + format).isNotNull();
            LoggingEvent event = new LoggingEvent(LogLayoutTest.class.getName(), root, Level.INFO, "{}", null,
                    new Object[] {INJECTED});
            @SuppressWarnings("unchecked")
            byte[] bytes = ((ch.qos.logback.core.encoder.Encoder<LoggingEvent>) appender.getEncoder()).encode(event);
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            context.stop();
        }
    }
}
