// Tests the streaming mode of MessageFrameDecoder: heads and pieces at every split, limits, gathering, no leaks.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.pgmux.testing.DetectLeaks;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every input is fed split at every byte boundary (and in random chunks) to a streaming decoder with small
 * thresholds; the pieces that come out must join up to exactly the messages that went in, each message's head
 * first and once, and every buffer (inputs, the decoder's own) must be released at the end.
 */
@DetectLeaks
class StreamingFrameDecoderTest {
    private static final int STREAM_ABOVE = 16;
    private static final int GATHER_ABOVE = 24;
    private static final int MAX = 10_000;
    private static final int MAX_PARSED = 40;

    private static final byte[] READY = WireBytes.body().int8('I').typed('Z');
    private static final byte[] SMALL_ROW = WireBytes.body().int16(1).int32(3).text("abc").typed('D');
    private static final byte[] BIG_ROW = WireBytes.body().int16(1).int32(60).bytes(filled(60, 'x')).typed('D');
    private static final byte[] BIG_COPY = WireBytes.body().bytes(filled(100, 'y')).typed('d');
    /** Not streamed, over GATHER_ABOVE and within MAX_PARSED: gathered whole. */
    private static final byte[] NOTICE = WireBytes.body().int8('M').cstring("a notice of some length").int8(0)
            .typed('N');
    private static final byte[] SYNC = WireBytes.body().typed('S');
    private static final byte[] QUERY = WireBytes.body().cstring("SELECT 1").typed('Q');
    private static final byte[] LONG_QUERY = WireBytes.body().cstring("SELECT '" + "q".repeat(60) + "'").typed('Q');
    private static final byte[] BIG_BIND = WireBytes.body().cstring("portal").cstring("stmt").int16(0).int16(1)
            .int32(50).bytes(filled(50, 'b')).int16(0).typed('B');

    private final CountingAllocator alloc = new CountingAllocator();
    /** Runs whose output had pieces of a streamed message in it. */
    private int runsWithPieces;

    /** What came out of the decoder, copied: a frame (whole, or a head), a piece, or an oversized message. */
    private record Output(char kind, byte[] bytes, boolean flag, OversizedMessage oversized) {
    }

    @Test
    void backendStreamsLargeRowsAndCopyDataAtEverySplit() {
        byte[] stream = WireBytes.concat(READY, BIG_ROW, SMALL_ROW, BIG_COPY, NOTICE, READY);
        forEverySplit(stream, outputs -> {
            assertThat(frames(outputs)).containsExactly(READY, BIG_ROW, SMALL_ROW, BIG_COPY, NOTICE, READY);
            assertWholeExceptStreamed(outputs, 'D', 'd');
        }, StreamedTypes.BACKEND, false);
        assertThat(runsWithPieces).as("runs that streamed").isGreaterThan(100);
    }

    @Test
    void frontendStreamsCopyDataAndBindWithTheNamesInTheHead() {
        byte[] stream = WireBytes.concat(QUERY, BIG_BIND, BIG_COPY, SYNC);
        forEverySplit(stream, outputs -> {
            assertThat(frames(outputs)).containsExactly(QUERY, BIG_BIND, BIG_COPY, SYNC);
            assertWholeExceptStreamed(outputs, 'B', 'd');
            for (Output head : outputs) {
                if (head.kind() == 'F' && head.bytes()[0] == 'B') {
                    assertThat(namesIn(head.bytes())).as("names in the head").isEqualTo(new BindHeader("portal", "stmt"));
                }
            }
        }, StreamedTypes.FRONTEND, true);
        assertThat(runsWithPieces).as("runs that streamed").isGreaterThan(100);
    }

    @Test
    void clientMessageOverTheParseLimitIsReportedOnceAndDiscarded() {
        byte[] stream = WireBytes.concat(QUERY, LONG_QUERY, SYNC);
        forEverySplit(stream, outputs -> {
            List<Object> seen = new ArrayList<>();
            for (Output o : outputs) {
                seen.add(o.kind() == 'O' ? o.oversized() : latin1(o.bytes()));
            }
            assertThat(seen).containsExactly(latin1(QUERY),
                    new OversizedMessage((byte) 'Q', LONG_QUERY.length - 1, MAX_PARSED), latin1(SYNC));
        }, StreamedTypes.FRONTEND, true);
    }

    @Test
    void clientMessageOverTheParseLimitIsReportedOnlyOnceItsLastByteIsRead() {
        EmbeddedChannel channel = channel(StreamedTypes.FRONTEND, true);
        int cut = LONG_QUERY.length - 1;
        channel.writeInbound(alloc.buffer().writeBytes(LONG_QUERY, 0, cut));
        assertThat(drain(channel)).as("the client is still sending it: nothing to answer yet").isEmpty();
        channel.writeInbound(alloc.buffer().writeBytes(LONG_QUERY, cut, 1));
        assertThat(drain(channel)).extracting(Output::oversized)
                .containsExactly(new OversizedMessage((byte) 'Q', LONG_QUERY.length - 1, MAX_PARSED));
        assertThat(channel.finishAndReleaseAll()).isFalse();
        alloc.assertAllReleased(() -> "oversized query");
    }

    @Test
    void serverMessageOverTheParseLimitBreaksTheConnection() {
        byte[] longError = WireBytes.body().int8('M').cstring("e".repeat(60)).int8(0).typed('E');
        EmbeddedChannel channel = channel(StreamedTypes.BACKEND, false);
        ByteBuf input = alloc.buffer().writeBytes(WireBytes.concat(READY, longError));
        Throwable thrown = null;
        try {
            channel.writeInbound(input);
        } catch (DecoderException e) {
            thrown = e;
        }
        assertThat(ProtocolException.unwrap(thrown)).hasMessageContaining("ErrorResponse message of 67 bytes exceeds");
        ByteBuf ready = channel.readInbound();
        assertThat(ByteBufBytes.copyAndRelease(ready)).isEqualTo(READY);
        assertThat(channel.finish()).isFalse();
        alloc.assertAllReleased(() -> "error over the limit");
    }

    @Test
    void bindWhoseNamesAreNotNearItsStartIsFramedWhole() {
        String longName = "n".repeat(StreamedTypes.BIND_NAMES_WINDOW);
        byte[] bind = WireBytes.body().cstring("").cstring(longName).int16(0).int16(1).int32(2000)
                .bytes(filled(2000, 'v')).int16(0).typed('B');
        List<Output> outputs = feed(new MessageFrameDecoder(true, MAX * 2, MAX * 2, StreamedTypes.FRONTEND,
                STREAM_ABOVE, GATHER_ABOVE), WireBytes.concat(bind, SYNC), new int[] {100, 9000});
        assertThat(outputs).extracting(Output::kind).containsExactly('F', 'F');
        assertThat(outputs.get(0).bytes()).isEqualTo(bind);
        assertThat(outputs.get(1).bytes()).isEqualTo(SYNC);
        alloc.assertAllReleased(() -> "long names");
    }

    @Test
    void connectionClosedInTheMiddleOfAStreamedMessageLeaksNothing() {
        for (int cut = 1; cut < BIG_ROW.length; cut++) {
            EmbeddedChannel channel = channel(StreamedTypes.BACKEND, false);
            channel.writeInbound(alloc.buffer().writeBytes(BIG_ROW, 0, cut));
            drain(channel);
            channel.finishAndReleaseAll();
            int at = cut;
            alloc.assertAllReleased(() -> "closed after " + at + " bytes");
        }
    }

    @Test
    void connectionClosedWhileGatheringLeaksNothing() {
        EmbeddedChannel channel = channel(StreamedTypes.BACKEND, false);
        channel.writeInbound(alloc.buffer().writeBytes(NOTICE, 0, NOTICE.length - 3));
        assertThat(drain(channel)).isEmpty();
        channel.finishAndReleaseAll();
        alloc.assertAllReleased(() -> "closed while gathering");
    }

    @Test
    void aHeaderAloneReservesNothingLikeItsLength() {
        EmbeddedChannel channel = new EmbeddedChannel(new MessageFrameDecoder(false, 1 << 30, 1 << 30,
                StreamedTypes.BACKEND, MessageFrameDecoder.STREAM_ABOVE, MessageFrameDecoder.GATHER_ABOVE));
        channel.config().setAllocator(alloc);
        channel.writeInbound(alloc.buffer().writeBytes(WireBytes.body().int8('E').int32(1 << 29).toArray()));
        assertThat(drain(channel)).isEmpty();
        assertThat(alloc.allocatedCapacity()).as("bytes reserved for a message of 512 MiB announced by its header")
                .isLessThan(256 * 1024);
        channel.finishAndReleaseAll();
        alloc.assertAllReleased(() -> "header only");
    }

    /** Feeds {@code stream} split at each boundary, then in random chunks, checking each run's output. */
    private void forEverySplit(byte[] stream, java.util.function.Consumer<List<Output>> check, StreamedTypes types,
                               boolean frontend) {
        for (int cut = 0; cut <= stream.length; cut++) {
            run(stream, cut == 0 ? new int[0] : new int[] {cut}, check, types, frontend);
        }
        int[] everyByte = new int[stream.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        run(stream, everyByte, check, types, frontend);
        Random random = new Random(stream.length);
        for (int i = 0; i < 200; i++) {
            run(stream, random.ints(random.nextInt(8), 1, stream.length).distinct().sorted().toArray(), check,
                    types, frontend);
        }
    }

    private void run(byte[] stream, int[] cuts, java.util.function.Consumer<List<Output>> check, StreamedTypes types,
                     boolean frontend) {
        Supplier<String> context = () -> "split at " + Arrays.toString(cuts);
        List<Output> outputs = feed(new MessageFrameDecoder(frontend, MAX, MAX_PARSED, types, STREAM_ABOVE,
                GATHER_ABOVE), stream, cuts);
        if (outputs.stream().anyMatch(o -> o.kind() == 'R')) {
            runsWithPieces++;
        }
        try {
            check.accept(outputs);
        } catch (AssertionError e) {
            throw new AssertionError(context.get() + ": " + e.getMessage(), e);
        }
        alloc.assertAllReleased(context);
    }

    private List<Output> feed(MessageFrameDecoder decoder, byte[] stream, int[] cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.config().setAllocator(alloc);
        List<Output> outputs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : stream.length;
            channel.writeInbound(alloc.buffer(end - start).writeBytes(stream, start, end - start));
            outputs.addAll(drain(channel));
            start = end;
        }
        assertThat(channel.finish()).isFalse();
        return outputs;
    }

    private EmbeddedChannel channel(StreamedTypes types, boolean frontend) {
        EmbeddedChannel channel = new EmbeddedChannel(new MessageFrameDecoder(frontend, MAX, MAX_PARSED, types,
                STREAM_ABOVE, GATHER_ABOVE));
        channel.config().setAllocator(alloc);
        return channel;
    }

    /** Copies and releases everything the channel emitted. */
    private static List<Output> drain(EmbeddedChannel channel) {
        List<Output> outputs = new ArrayList<>();
        for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
            if (m instanceof MessageContinuation rest) {
                outputs.add(new Output('R', ByteBufBytes.copy(rest.content()), rest.isLast(), null));
                rest.release();
            } else if (m instanceof OversizedMessage oversized) {
                outputs.add(new Output('O', null, false, oversized));
            } else {
                ByteBuf frame = (ByteBuf) m;
                outputs.add(new Output('F', ByteBufBytes.copy(frame), Frames.isPartial(frame), null));
                frame.release();
            }
        }
        return outputs;
    }

    /**
     * Joins heads and their pieces back into messages, checking the order: a partial head is followed by pieces only,
     * the last of which is marked last, and nothing else carries that mark.
     */
    private static List<byte[]> frames(List<Output> outputs) {
        List<byte[]> frames = new ArrayList<>();
        ByteArrayOutputStream current = null;
        for (Output o : outputs) {
            if (o.kind() == 'R') {
                assertThat(current).as("a piece without a partial head before it").isNotNull();
                current.writeBytes(o.bytes());
                if (o.flag()) {
                    frames.add(current.toByteArray());
                    current = null;
                }
            } else {
                assertThat(current).as("a frame inside a streamed message").isNull();
                assertThat(o.kind()).isEqualTo('F');
                if (o.flag()) {
                    current = new ByteArrayOutputStream();
                    current.writeBytes(o.bytes());
                } else {
                    frames.add(o.bytes());
                }
            }
        }
        assertThat(current).as("a streamed message left unfinished").isNull();
        return frames;
    }

    /** Only the given types may come in pieces, and only when longer than the streaming threshold. */
    private static void assertWholeExceptStreamed(List<Output> outputs, char... streamed) {
        for (Output o : outputs) {
            if (o.kind() == 'F' && o.flag()) {
                assertThat(new String(streamed)).contains(String.valueOf((char) o.bytes()[0]));
                assertThat(o.bytes().length).isGreaterThanOrEqualTo(Frames.HEADER_LENGTH);
                int length = ((o.bytes()[1] & 0xFF) << 24) | ((o.bytes()[2] & 0xFF) << 16) | ((o.bytes()[3] & 0xFF) << 8)
                        | (o.bytes()[4] & 0xFF);
                assertThat(length).as("only messages above the threshold stream").isGreaterThan(STREAM_ABOVE);
            }
        }
    }

    /** The portal and statement names at the start of a Bind head. */
    private static BindHeader namesIn(byte[] head) {
        ByteBuf frame = io.netty.buffer.Unpooled.wrappedBuffer(head).setInt(1, head.length - 1);
        try {
            return BindHeader.decode(frame);
        } finally {
            frame.release();
        }
    }

    private static byte[] filled(int length, char c) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
