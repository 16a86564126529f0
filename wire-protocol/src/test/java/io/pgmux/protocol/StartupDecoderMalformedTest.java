// Tests that every malformed startup packet fails once with 08P01 and that the decoder then ignores all input.
package io.pgmux.protocol;

import static io.pgmux.protocol.StartupDecoderTest.startup;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.pgmux.testing.DetectLeaks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@DetectLeaks
class StartupDecoderMalformedTest {
    private final DecoderHarness harness = new DecoderHarness(new StartupDecoder());

    @AfterEach
    void finish() {
        harness.finishAndVerify();
    }

    /** Feeds {@code bytes}, expects one protocol violation, then checks later valid input is ignored silently. */
    private ProtocolException expectViolation(byte[] bytes) {
        Throwable thrown = harness.feedExpectingFailure(bytes);
        assertThat(thrown).isInstanceOf(DecoderException.class);
        PgException error = ProtocolException.unwrap(thrown);
        assertThat(error).isInstanceOf(ProtocolException.class);
        assertThat(error.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        assertThat(error.severity()).isEqualTo(Severity.FATAL);
        assertThat(harness.feed(startup(3 << 16, "user", "after"))).as("input after the failure").isEmpty();
        assertThat(harness.feed(StartupDecoderTest.SSL_REQUEST)).isEmpty();
        return (ProtocolException) error;
    }

    @Test
    void rejectsLengthBelowEight() {
        assertThat(expectViolation(WireBytes.body().int32(7).int32(StartupCodes.SSL_REQUEST_CODE).toArray()))
                .hasMessage("invalid length of startup packet");
    }

    @Test
    void rejectsNegativeLength() {
        assertThat(expectViolation(WireBytes.body().int32(-1).toArray()))
                .hasMessage("invalid length of startup packet");
    }

    @Test
    void rejectsLengthAboveMaximumAsSoonAsTheLengthArrives() {
        // Only the 4 length bytes are sent: the decoder must not wait for 10001 bytes.
        assertThat(expectViolation(WireBytes.body().int32(StartupCodes.MAX_STARTUP_PACKET_LENGTH + 1).toArray()))
                .hasMessage("invalid length of startup packet");
    }

    @Test
    void acceptsPacketOfExactlyMaximumLength() {
        int filler = StartupCodes.MAX_STARTUP_PACKET_LENGTH - 8 - "user".length() - 3;
        byte[] packet = startup(3 << 16, "user", "x".repeat(filler));
        assertThat(packet).hasSize(StartupCodes.MAX_STARTUP_PACKET_LENGTH);

        assertThat(harness.feed(packet)).hasSize(1);
    }

    @Test
    void rejectsHttpRequest() {
        assertThat(expectViolation("GET / HTTP/1.1\r\nHost: db\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("invalid length of startup packet");
    }

    @Test
    void rejectsProtocolTwo() {
        assertThat(expectViolation(startup(2 << 16, "user", "u")))
                .hasMessage("unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
    }

    @Test
    void rejectsProtocolFour() {
        assertThat(expectViolation(startup(4 << 16, "user", "u")))
                .hasMessage("unsupported frontend protocol 4.0: server supports 3.0 to 3.0");
    }

    @Test
    void rejectsUnknownRequestCode() {
        assertThat(expectViolation(WireBytes.body().int32(80877105).untyped()))
                .hasMessageStartingWith("unsupported frontend protocol 1234.5681");
    }

    @Test
    void rejectsCancelRequestWithWrongLength() {
        byte[] tooLong = WireBytes.body().int32(StartupCodes.CANCEL_REQUEST_CODE).int32(1).int32(2).int32(3).untyped();
        assertThat(expectViolation(tooLong)).hasMessage("invalid length of query cancel packet");
    }

    @Test
    void rejectsShortCancelRequest() {
        byte[] tooShort = WireBytes.body().int32(StartupCodes.CANCEL_REQUEST_CODE).int32(1).untyped();
        assertThat(expectViolation(tooShort)).hasMessage("invalid length of query cancel packet");
    }

    @Test
    void rejectsSslRequestWithBody() {
        assertThat(expectViolation(WireBytes.body().int32(StartupCodes.SSL_REQUEST_CODE).int32(0).untyped()))
                .hasMessage("invalid length of SSL negotiation packet");
    }

    @Test
    void rejectsStartupPacketWithoutFinalTerminator() {
        byte[] packet = WireBytes.body().int32(3 << 16).cstring("user").cstring("alice").untyped();
        assertThat(expectViolation(packet)).hasMessageContaining("invalid startup packet layout");
    }

    @Test
    void rejectsStartupPacketWithoutAnyBody() {
        assertThat(expectViolation(WireBytes.body().int32(3 << 16).untyped()))
                .hasMessageContaining("invalid startup packet layout");
    }

    @Test
    void rejectsOddNumberOfStrings() {
        byte[] packet = WireBytes.body().int32(3 << 16).cstring("user").cstring("alice").cstring("database")
                .int8(0).untyped();
        assertThat(expectViolation(packet)).hasMessageContaining("invalid startup packet layout");
    }

    @Test
    void rejectsValueWithoutTerminator() {
        byte[] packet = WireBytes.body().int32(3 << 16).cstring("user").text("alice").untyped();
        assertThat(expectViolation(packet)).hasMessageContaining("invalid startup packet layout");
    }

    @Test
    void rejectsBytesAfterTheListTerminator() {
        byte[] packet = WireBytes.body().int32(3 << 16).cstring("user").cstring("a").int8(0).cstring("x")
                .cstring("y").int8(0).untyped();
        assertThat(expectViolation(packet)).hasMessageContaining("invalid startup packet layout");
    }

    @Test
    void failsOnlyOnceEvenWhenTheBadPacketArrivesInPieces() {
        byte[] bad = startup(2 << 16, "user", "u");
        assertThat(harness.feedChunks(Arrays.copyOf(bad, 6), 3)).isEmpty();

        Throwable thrown = harness.feedExpectingFailure(Arrays.copyOfRange(bad, 6, bad.length));

        assertThat(ProtocolException.unwrap(thrown)).isInstanceOf(ProtocolException.class);
        assertThat(harness.feedExpectingFailure(startup(2 << 16, "user", "u"))).as("second failure").isNull();
    }
}
