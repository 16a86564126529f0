// Seeded randomized test: the decoders and record parsers fail only with ProtocolException, never hang, never leak.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.pgmux.testing.DetectLeaks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds 100,000 seeded inputs (random bytes and mutations of valid streams, split at random points) to the startup,
 * frontend and backend decoders (whole and streaming) and to the record decoders. Override the seed with {@code -Dpgmux.fuzz.seed=N} to
 * reproduce a failure; the seed is printed and included in every failure message.
 *
 * <p>Buffers come from a {@link CountingAllocator} (inputs and the decoders' cumulation buffers alike) and every one
 * must be released after each run: an exact leak check that stays fast where paranoid tracking of every buffer access
 * would take minutes.
 */
@DetectLeaks
class DecoderFuzzTest {
    private static final int INPUTS = 100_000;
    private static final int SMALL_MAX = 64;

    private static final List<Function<ByteBuf, ?>> RECORD_DECODERS = List.of(ParameterStatus::decode,
            BackendKeyData::decode, ReadyForQuery::status, ErrorFields::decode, Authentication::decode, Query::sql,
            Parse::decode, BindHeader::decode, Describe::decode, Close::decode, Execute::decode,
            CommandComplete::decode, PasswordMessage::password, SaslInitialResponse::decode, SaslResponse::data,
            NegotiateProtocolVersion::decode);
    /** Each record decoder's own type byte, in the order of {@link #RECORD_DECODERS}. */
    private static final byte[] RECORD_TYPES = {'S', 'K', 'Z', 'E', 'R', 'Q', 'P', 'B', 'D', 'C', 'E', 'C', 'p', 'p',
            'p', 'v'};

    /** Hands over from startup to typed framing like the proxy does, so mixed streams reach both decoders. */
    private static final class SwapOnStartup extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.fireChannelRead(msg);
            if (msg instanceof StartupMessage) {
                ctx.pipeline().replace(StartupDecoder.class, "frames", MessageFrameDecoder.frontend(SMALL_MAX));
            }
        }
    }

    private final CountingAllocator alloc = new CountingAllocator();
    private Random random;
    private long framesChecked;
    private long violations;
    private long recordsDecoded;
    private long streamedHeads;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void decodersSurviveRandomAndMutatedInput() {
        long seed = Long.getLong("pgmux.fuzz.seed", System.nanoTime());
        System.out.println("DecoderFuzzTest seed: " + seed + " (rerun with -Dpgmux.fuzz.seed=" + seed + ")");
        random = new Random(seed);
        FuzzCorpus corpus = new FuzzCorpus(random);

        for (int i = 0; i < INPUTS; i++) {
            byte[] input = corpus.next();
            int[] cuts = corpus.cuts(input.length);
            int index = i;
            Function<String, Supplier<String>> context = decoder -> () -> "seed " + seed + ", input " + index
                    + " (" + decoder + "): " + ByteBufUtil.hexDump(input) + " split at " + Arrays.toString(cuts);
            int maxLength = random.nextBoolean() ? SMALL_MAX : MessageFrameDecoder.DEFAULT_MAX_MESSAGE_LENGTH;
            run(context.apply("startup"), input, cuts, new StartupDecoder(), new SwapOnStartup());
            run(context.apply("frontend"), input, cuts, MessageFrameDecoder.frontend(maxLength));
            run(context.apply("backend"), input, cuts, MessageFrameDecoder.backend(maxLength));
            // Streaming with tiny thresholds, so that random input reaches heads, pieces, gathering and refusals.
            run(context.apply("streaming frontend"), input, cuts, new MessageFrameDecoder(true, maxLength,
                    SMALL_MAX / 2, StreamedTypes.FRONTEND, 8, 16));
            run(context.apply("streaming backend"), input, cuts, new MessageFrameDecoder(false, maxLength,
                    SMALL_MAX / 2, StreamedTypes.BACKEND, 8, 16));
            decodeAsRecord(context.apply("records"), corpus.mutate(input));
        }

        System.out.println("DecoderFuzzTest: " + framesChecked + " frames, " + violations + " violations, "
                + recordsDecoded + " records decoded, " + streamedHeads + " streamed heads");
        assertThat(framesChecked).as("the corpus must produce valid frames too").isGreaterThan(INPUTS);
        assertThat(violations).as("the corpus must produce violations too").isGreaterThan(INPUTS);
        assertThat(recordsDecoded).as("the corpus must produce well-formed records too").isGreaterThan(INPUTS / 2);
        assertThat(streamedHeads).as("the corpus must reach the streaming paths too").isGreaterThan(INPUTS / 100);
    }

    private void run(Supplier<String> context, byte[] input, int[] cuts, ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel(handlers);
        channel.config().setAllocator(alloc);
        List<ByteBuf> written = new ArrayList<>();
        boolean failed = false;
        int start = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : input.length;
            ByteBuf chunk = alloc.buffer(end - start).writeBytes(input, start, end - start);
            written.add(chunk);
            start = end;
            boolean failedBefore = failed;
            try {
                channel.writeInbound(chunk);
            } catch (RuntimeException e) {
                expectSingleViolation(context, e, failedBefore);
                failed = true;
            }
            drain(context, channel, failedBefore);
        }
        try {
            assertThat(channel.finish()).as(context).isFalse();
        } catch (RuntimeException e) {
            expectSingleViolation(context, e, failed);
        }
        for (ByteBuf chunk : written) {
            assertThat(chunk.refCnt()).as(context).isZero();
        }
        alloc.assertAllReleased(context);
    }

    private void expectSingleViolation(Supplier<String> context, RuntimeException e, boolean failedBefore) {
        if (failedBefore) {
            throw new AssertionError("second exception after a violation: " + context.get(), e);
        }
        assertThat(e).as(context).isInstanceOfAny(ProtocolException.class, DecoderException.class);
        PgException error = ProtocolException.unwrap(e);
        if (!(error instanceof ProtocolException)) {
            throw new AssertionError("unexpected exception: " + context.get(), e);
        }
        assertThat(error.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        violations++;
    }

    private void drain(Supplier<String> context, EmbeddedChannel channel, boolean failedBefore) {
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            if (failedBefore) {
                throw new AssertionError("output after a violation: " + context.get());
            }
            if (message instanceof ByteBuf) {
                ByteBuf frame = (ByteBuf) message;
                try {
                    if (frame.readableBytes() < Frames.HEADER_LENGTH) {
                        throw new AssertionError("frame shorter than a header: " + context.get());
                    }
                    if (Frames.isPartial(frame)) {
                        streamedHeads++; // only streaming decoders emit heads; their pieces follow
                    } else if (frame.readableBytes() != Frames.bodyLength(frame) + Frames.HEADER_LENGTH) {
                        throw new AssertionError("frame size disagrees with its length: " + context.get());
                    } else {
                        decodeAsRecord(context, frame);
                    }
                } finally {
                    frame.release();
                }
                framesChecked++;
            } else if (message instanceof MessageContinuation rest) {
                rest.release();
            } else if (message instanceof OversizedMessage) {
                framesChecked++;
            } else {
                assertThat(message).as(context).isInstanceOf(StartupPacket.class);
                framesChecked++;
            }
        }
    }

    private void decodeAsRecord(Supplier<String> context, byte[] bytes) {
        ByteBuf frame = alloc.buffer(bytes.length).writeBytes(bytes);
        try {
            decodeAsRecord(context, frame);
        } finally {
            frame.release();
        }
        alloc.assertAllReleased(context);
    }

    /**
     * The record decoders for the frame's type byte, plus one random other, must each either succeed or throw
     * ProtocolException, leaving the frame untouched. (Running all of them on every frame would mostly repeat the
     * cheap type check.)
     */
    private void decodeAsRecord(Supplier<String> context, ByteBuf frame) {
        byte type = frame.isReadable() ? frame.getByte(frame.readerIndex()) : 0;
        for (int i = 0; i < RECORD_DECODERS.size(); i++) {
            if (RECORD_TYPES[i] == type) {
                decodeAsRecord(context, frame, RECORD_DECODERS.get(i));
            }
        }
        decodeAsRecord(context, frame, RECORD_DECODERS.get(random.nextInt(RECORD_DECODERS.size())));
    }

    private void decodeAsRecord(Supplier<String> context, ByteBuf frame, Function<ByteBuf, ?> decoder) {
        int readerIndex = frame.readerIndex();
        int writerIndex = frame.writerIndex();
        int refCnt = frame.refCnt();
        try {
            decoder.apply(frame);
            recordsDecoded++;
        } catch (ProtocolException expected) {
            // The only acceptable failure.
        } catch (RuntimeException e) {
            throw new AssertionError("record decoder threw " + e + ": " + context.get(), e);
        }
        if (frame.readerIndex() != readerIndex || frame.writerIndex() != writerIndex || frame.refCnt() != refCnt) {
            throw new AssertionError("record decoder changed the frame: " + context.get());
        }
    }
}
