// Tests replacing StartupDecoder by MessageFrameDecoder mid-buffer, as the proxy does after the StartupMessage.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.pgmux.testing.DetectLeaks;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@DetectLeaks
class StartupHandoverTest {
    /** Swaps the startup decoder for a frame decoder when the StartupMessage passes, like the proxy's login handler. */
    private static final class SwapOnStartup extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // Forward first: replace() re-enters the pipeline with the leftover frames before it returns.
            ctx.fireChannelRead(msg);
            if (msg instanceof StartupMessage) {
                ctx.pipeline().replace("startup", "frames",
                        MessageFrameDecoder.frontend(MessageFrameDecoder.DEFAULT_MAX_MESSAGE_LENGTH));
            }
        }
    }

    private final DecoderHarness harness = new DecoderHarness();

    {
        harness.channel().pipeline().addLast("startup", new StartupDecoder()).addLast(new SwapOnStartup());
    }

    @AfterEach
    void finish() {
        harness.finishAndVerify();
    }

    private static final byte[] QUERY = WireBytes.body().cstring("SELECT 1").typed('Q');
    private static final byte[] SYNC = WireBytes.body().typed('S');

    @Test
    void forwardsTypedMessagesThatShareTheBufferWithTheStartupMessage() {
        byte[] stream = WireBytes.concat(StartupDecoderTest.SSL_REQUEST,
                StartupDecoderTest.startup(3 << 16, "user", "alice"), QUERY, SYNC);

        List<Object> out = harness.feed(stream);

        assertThat(out).hasSize(4);
        assertThat(out.get(0)).isEqualTo(SslRequest.INSTANCE);
        assertThat(((StartupMessage) out.get(1)).user()).isEqualTo("alice");
        assertThat((byte[]) out.get(2)).isEqualTo(QUERY);
        assertThat((byte[]) out.get(3)).isEqualTo(SYNC);
        assertThat(harness.channel().pipeline().get("startup")).isNull();
        assertThat(harness.channel().pipeline().get("frames")).isInstanceOf(MessageFrameDecoder.class);
    }

    @Test
    void forwardsAPartialTypedMessageAndCompletesItLater() {
        byte[] startup = StartupDecoderTest.startup(3 << 16, "user", "alice");
        byte[] stream = WireBytes.concat(startup, QUERY);

        List<Object> first = harness.feedSplitAt(stream, startup.length + 3);

        assertThat(first).hasSize(2);
        assertThat((byte[]) first.get(1)).isEqualTo(QUERY);
    }

    @Test
    void laterReadsGoToTheFrameDecoderAsRetainedSlices() {
        harness.feed(StartupDecoderTest.startup(3 << 16, "user", "alice"));
        ByteBuf input = DecoderHarness.ALLOC.buffer().writeBytes(WireBytes.concat(QUERY, SYNC));

        harness.channel().writeInbound(input);
        ByteBuf query = harness.channel().readInbound();
        ByteBuf sync = harness.channel().readInbound();

        try {
            assertThat(Frames.type(query)).isEqualTo(FrontendType.QUERY);
            assertThat(Query.sql(query)).isEqualTo("SELECT 1");
            assertThat(Frames.type(sync)).isEqualTo(FrontendType.SYNC);
            assertThat(input.refCnt()).as("frames keep the input alive").isPositive();
        } finally {
            query.release();
            sync.release();
        }
        assertThat(input.refCnt()).isZero();
    }
}
