// Tests framing of typed messages: zero-copy slices, chunked input, and every malformed header.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;
import io.pgmux.testing.DetectLeaks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@DetectLeaks
class MessageFrameDecoderTest {
    private static final int MAX = 1000;
    private static final byte[] QUERY = WireBytes.body().cstring("SELECT 1").typed('Q');
    private static final byte[] SYNC = WireBytes.body().typed('S');
    private static final byte[] PARSE = WireBytes.body().cstring("s1").cstring("SELECT $1").int16(1).int32(23)
            .typed('P');
    private static final byte[] READY = WireBytes.body().int8('I').typed('Z');
    private static final byte[] DATA_ROW = WireBytes.body().int16(1).int32(3).text("abc").typed('D');

    private DecoderHarness harness;

    @AfterEach
    void finish() {
        harness.finishAndVerify();
    }

    private DecoderHarness frontend() {
        harness = new DecoderHarness(MessageFrameDecoder.frontend(MAX));
        return harness;
    }

    private DecoderHarness backend() {
        harness = new DecoderHarness(MessageFrameDecoder.backend(MAX));
        return harness;
    }

    @Test
    void framesSeveralMessagesInOneBuffer() {
        List<Object> out = frontend().feed(WireBytes.concat(PARSE, QUERY, SYNC));

        assertThat(out).containsExactly(PARSE, QUERY, SYNC);
    }

    @Test
    void framesMessagesFedOneByteAtATime() {
        List<Object> out = frontend().feedOneByteAtATime(WireBytes.concat(QUERY, SYNC, PARSE));

        assertThat(out).containsExactly(QUERY, SYNC, PARSE);
    }

    @Test
    void framesMessagesSplitInsideHeaderAndBody() {
        byte[] stream = WireBytes.concat(READY, DATA_ROW, READY);

        List<Object> out = backend().feedSplitAt(stream, 1, 3, READY.length + 2, READY.length + 9);

        assertThat(out).containsExactly(READY, DATA_ROW, READY);
    }

    @Test
    void emitsRetainedSlicesOfTheInputWithoutCopying() {
        frontend();
        ByteBuf input = DecoderHarness.ALLOC.buffer().writeBytes(WireBytes.concat(QUERY, SYNC));

        harness.channel().writeInbound(input);
        ByteBuf query = harness.channel().readInbound();
        ByteBuf sync = harness.channel().readInbound();
        try {
            // Writing through the input shows the frame shares its memory.
            input.setByte(5, 'X');
            assertThat(query.getByte(query.readerIndex() + 5)).isEqualTo((byte) 'X');
            assertThat(query.readableBytes()).isEqualTo(QUERY.length);
            assertThat(Frames.type(query)).isEqualTo(FrontendType.QUERY);
            assertThat(Frames.bodyLength(query)).isEqualTo(QUERY.length - 5);
            assertThat(Frames.bodyStart(query)).isEqualTo(query.readerIndex() + 5);
            assertThat(Frames.bodyLength(sync)).isZero();
            query.release();
            assertThat(input.refCnt()).as("the remaining frame keeps the input alive").isPositive();
        } finally {
            sync.release();
        }
        assertThat(input.refCnt()).isZero();
    }

    @Test
    void framesMessageOfExactlyTheMaximumLength() {
        byte[] body = new byte[MAX - 4];
        Arrays.fill(body, (byte) 'a');
        byte[] copyData = WireBytes.body().bytes(body).typed('d');

        assertThat(frontend().feedChunks(copyData, 97)).containsExactly(copyData);
    }

    @Test
    void backendAcceptsUnknownTypesSoTheyCanBeRelayed() {
        byte[] unknown = WireBytes.body().int32(7).typed('?');

        assertThat(backend().feed(unknown)).containsExactly(unknown);
    }

    @Test
    void frontendRejectsUnknownTypeOnItsFirstByte() {
        frontend();
        ProtocolException error = expectViolation(new byte[] {'Z'});

        assertThat(error).hasMessage("invalid frontend message type 90");
    }

    @Test
    void loggedInFrontendRejectsPasswordMessageThatAuthenticationAccepts() {
        byte[] password = WireBytes.body().cstring("secret").typed('p');
        assertThat(frontend().feed(password)).containsExactly(password);
        harness.finishAndVerify();

        harness = new DecoderHarness(MessageFrameDecoder.loggedInFrontend(MAX, MAX));
        assertThat(harness.feed(QUERY)).containsExactly(QUERY);
        assertThat(expectViolation(password)).hasMessage("invalid frontend message type 112");
    }

    @Test
    void rejectsLengthBelowFour() {
        frontend();
        assertThat(expectViolation(WireBytes.body().int8('S').int32(3).toArray()))
                .hasMessageStartingWith("invalid message length 3");
    }

    @Test
    void rejectsNegativeLength() {
        backend();
        assertThat(expectViolation(WireBytes.body().int8('D').int32(Integer.MIN_VALUE).toArray()))
                .hasMessageStartingWith("invalid message length -2147483648");
    }

    @Test
    void rejectsLengthAboveMaximumFromTheHeaderAlone() {
        backend();
        // Only the 5-byte header is sent; the body of MAX - 3 bytes never arrives.
        assertThat(expectViolation(WireBytes.body().int8('D').int32(MAX + 1).toArray()))
                .hasMessageStartingWith("invalid message length " + (MAX + 1));
    }

    @Test
    void rejectsHugeLengthWithDefaultMaximum() {
        harness = new DecoderHarness(MessageFrameDecoder.frontend(MessageFrameDecoder.DEFAULT_MAX_MESSAGE_LENGTH));
        assertThat(expectViolation(WireBytes.body().int8('Q').int32(Integer.MAX_VALUE).toArray()))
                .hasMessageContaining("invalid message length");
    }

    @Test
    void rejectsALongNameOnlyMessageFromTheHeaderAloneAsPostgresqlDoes() {
        harness = new DecoderHarness(MessageFrameDecoder.loggedInFrontend(1 << 30, 1 << 26));
        assertThat(expectViolation(WireBytes.body().int8('C').int32(FrontendType.SMALL_MESSAGE_LIMIT + 1).toArray()))
                .hasMessageStartingWith("invalid message length " + (FrontendType.SMALL_MESSAGE_LIMIT + 1));
    }

    @Test
    void acceptsANameOnlyMessageUpToPostgresqlsSmallLimit() {
        harness = new DecoderHarness(MessageFrameDecoder.loggedInFrontend(1 << 30, 1 << 26));
        byte[] close = WireBytes.body().int8('S').cstring("n".repeat(FrontendType.SMALL_MESSAGE_LIMIT - 6))
                .typed('C');
        assertThat(harness.feed(close)).containsExactly(close);
    }

    @Test
    void emitsCompleteMessagesBeforeTheViolation() {
        frontend();
        List<Object> out = new ArrayList<>();

        Throwable thrown = harness.feedExpectingFailure(WireBytes.concat(QUERY, SYNC,
                "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)), out);

        assertThat(out).containsExactly(QUERY, SYNC);
        assertThat(ProtocolException.unwrap(thrown)).hasMessage("invalid frontend message type 71");
        assertThat(harness.feed(QUERY)).isEmpty();
    }

    @Test
    void rejectsNonPositiveMaximum() {
        harness = new DecoderHarness();
        assertThatThrownBy(() -> MessageFrameDecoder.frontend(3)).isInstanceOf(IllegalArgumentException.class);
    }

    private ProtocolException expectViolation(byte[] bytes) {
        Throwable thrown = harness.feedExpectingFailure(bytes);
        assertThat(thrown).isInstanceOf(DecoderException.class);
        PgException error = ProtocolException.unwrap(thrown);
        assertThat(error).isInstanceOf(ProtocolException.class);
        assertThat(error.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        assertThat(error.severity()).isEqualTo(Severity.FATAL);
        assertThat(harness.feed(WireBytes.concat(SYNC, READY))).as("input after the failure").isEmpty();
        assertThat(harness.feedExpectingFailure(new byte[] {0, 0, 0})).as("no second exception").isNull();
        return (ProtocolException) error;
    }
}
