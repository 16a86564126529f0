// Test helper that drives a decoder on an EmbeddedChannel and tracks every buffer it feeds in.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * Feeds bytes to a decoder in chosen chunks, copies out what it emits and releases it, and at the end checks that the
 * channel finishes empty and every input buffer was released.
 */
final class DecoderHarness {
    /** Pooled, so paranoid leak detection tracks every input buffer. */
    static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private final EmbeddedChannel channel;
    private final List<ByteBuf> inputs = new ArrayList<>();

    DecoderHarness(ChannelHandler... handlers) {
        this.channel = new EmbeddedChannel(handlers);
    }

    EmbeddedChannel channel() {
        return channel;
    }

    /** Writes {@code bytes} as one buffer and returns what came out (frames copied to byte[] and released). */
    List<Object> feed(byte[] bytes) {
        return feedChunks(bytes, bytes.length);
    }

    /** Writes {@code bytes} one byte per read. */
    List<Object> feedOneByteAtATime(byte[] bytes) {
        return feedChunks(bytes, 1);
    }

    /** Writes {@code bytes} in reads of at most {@code chunkSize} bytes. */
    List<Object> feedChunks(byte[] bytes, int chunkSize) {
        List<Object> out = new ArrayList<>();
        for (int start = 0; start < bytes.length; start += chunkSize) {
            int length = Math.min(chunkSize, bytes.length - start);
            write(bytes, start, length);
            drainInto(out);
        }
        return out;
    }

    /** Writes {@code bytes}, split before each of the ascending {@code cuts}. */
    List<Object> feedSplitAt(byte[] bytes, int... cuts) {
        List<Object> out = new ArrayList<>();
        int start = 0;
        for (int cut : cuts) {
            write(bytes, start, cut - start);
            drainInto(out);
            start = cut;
        }
        write(bytes, start, bytes.length - start);
        drainInto(out);
        return out;
    }

    /** Writes {@code bytes} and returns the exception the channel raised (null if none); drains any output first. */
    Throwable feedExpectingFailure(byte[] bytes, List<Object> out) {
        Throwable thrown = catchThrowable(() -> write(bytes, 0, bytes.length));
        drainInto(out);
        return thrown;
    }

    Throwable feedExpectingFailure(byte[] bytes) {
        List<Object> out = new ArrayList<>();
        Throwable thrown = feedExpectingFailure(bytes, out);
        assertThat(out).isEmpty();
        return thrown;
    }

    private void write(byte[] bytes, int start, int length) {
        ByteBuf buf = ALLOC.buffer(length).writeBytes(bytes, start, length);
        inputs.add(buf);
        channel.writeInbound(buf);
    }

    private void drainInto(List<Object> out) {
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            if (message instanceof ByteBuf) {
                ByteBuf frame = (ByteBuf) message;
                out.add(ByteBufBytes.copy(frame));
                assertThat(frame.release()).as("a frame is released by its only owner").isTrue();
            } else {
                out.add(message);
                ReferenceCountUtil.release(message);
            }
        }
    }

    /** Closes the channel and checks nothing is left over and every fed buffer has been released. */
    void finishAndVerify() {
        assertThat(channel.finish()).as("messages left in the channel").isFalse();
        assertThat(channel.inboundMessages()).isEmpty();
        for (ByteBuf input : inputs) {
            assertThat(input.refCnt()).as("input buffer released").isZero();
        }
    }
}
