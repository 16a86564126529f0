// Test helper that runs a record decoder on a frame and checks it leaves the frame untouched.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;

import java.util.function.Function;

/** Decodes hand-built or encoded messages the way the proxy will: from a frame that does not start at index 0. */
final class FrameDecoding {
    private FrameDecoding() {
    }

    /** A frame holding {@code message} behind 3 already-read junk bytes, so absolute index bugs show up. */
    static ByteBuf offsetFrame(byte[] message) {
        ByteBuf buf = DecoderHarness.ALLOC.buffer(message.length + 3);
        buf.writeBytes(new byte[] {'j', 'u', 'n'}).writeBytes(message).skipBytes(3);
        return buf;
    }

    /** Decodes {@code message}, checking that indexes and reference count are unchanged, and releases the frame. */
    static <T> T decode(byte[] message, Function<ByteBuf, T> decoder) {
        ByteBuf frame = offsetFrame(message);
        try {
            T result = decoder.apply(frame);
            assertUntouched(frame, message.length);
            return result;
        } finally {
            frame.release();
        }
    }

    /** Decodes an encoder's output (which the test owns) and releases it. */
    static <T> T decodeAndRelease(ByteBuf encoded, Function<ByteBuf, T> decoder) {
        return decode(ByteBufBytes.copyAndRelease(encoded), decoder);
    }

    /** Expects {@code decoder} to reject {@code message} with a ProtocolException; returns it. */
    static ProtocolException rejects(byte[] message, Function<ByteBuf, ?> decoder) {
        ByteBuf frame = offsetFrame(message);
        try {
            Throwable thrown = catchThrowable(() -> decoder.apply(frame));
            assertThat(thrown).isInstanceOf(ProtocolException.class);
            assertThat(((ProtocolException) thrown).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
            assertUntouched(frame, message.length);
            return (ProtocolException) thrown;
        } finally {
            frame.release();
        }
    }

    private static void assertUntouched(ByteBuf frame, int length) {
        assertThat(frame.readerIndex()).as("reader index").isEqualTo(3);
        assertThat(frame.writerIndex()).as("writer index").isEqualTo(3 + length);
        assertThat(frame.refCnt()).as("reference count").isEqualTo(1);
    }
}
