package io.pgmux.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Events of a private server's threads are encoded, as everyone's, but only the others are written. */
class PublicConsoleAppenderTest {

    @Test
    void encodesEveryEventAndWritesOnlyThoseOfPublicThreads() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        AtomicInteger encoded = new AtomicInteger();
        EncoderBase<ILoggingEvent> encoder = new EncoderBase<>() {
            @Override
            public byte[] headerBytes() {
                return null;
            }

            @Override
            public byte[] encode(ILoggingEvent event) {
                encoded.incrementAndGet();
                return (event.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] footerBytes() {
                return null;
            }
        };
        encoder.setContext(context);
        encoder.start();
        PublicConsoleAppender appender = new PublicConsoleAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        appender.setOutputStream(console);

        appender.doAppend(event(context, "pgmux-io-4-1", "client 1 logged in"));
        appender.doAppend(event(context, PublicConsoleAppender.PRIVATE_THREADS + "io-7-2", "client 2 logged in"));
        appender.doAppend(event(context, "pgmux-warmup", "warm-up done"));
        appender.stop();

        assertThat(encoded).hasValue(3);
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("client 1 logged in\nwarm-up done\n");
    }

    private static LoggingEvent event(LoggerContext context, String thread, String message) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.INFO, message, null, null);
        event.setThreadName(thread);
        return event;
    }
}
