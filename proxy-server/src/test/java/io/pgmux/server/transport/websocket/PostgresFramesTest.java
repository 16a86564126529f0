package io.pgmux.server.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.pgmux.protocol.MessageFrameDecoder;
import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@DetectLeaks
class PostgresFramesTest {

    /** A Query message for {@code sql}. */
    private static byte[] query(String sql) {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(5 + text.length).put((byte) 'Q').putInt(4 + text.length).put(text)
                .array();
    }

    @Test
    void messagesSplitAtEveryByteAcrossFramesAreFramedWhole() {
        EmbeddedChannel channel = new EmbeddedChannel(new PostgresFrames(), MessageFrameDecoder.frontend(1 << 20));
        byte[] bytes = query("SELECT 1");
        for (int i = 0; i < bytes.length; i++) {
            ByteBuf one = Unpooled.wrappedBuffer(new byte[] {bytes[i]});
            channel.writeInbound(i % 2 == 0 ? new BinaryWebSocketFrame(one) : new ContinuationWebSocketFrame(one));
        }
        ByteBuf frame = channel.readInbound();
        try {
            assertThat(frame.readableBytes()).isEqualTo(bytes.length);
            assertThat(frame.getByte(0)).isEqualTo((byte) 'Q');
        } finally {
            frame.release();
        }
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void messagesMergedInOneFrameAreFramedApart() {
        EmbeddedChannel channel = new EmbeddedChannel(new PostgresFrames(), MessageFrameDecoder.frontend(1 << 20));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(query("SELECT 1"), query("SELECT 22"))));
        ByteBuf first = channel.readInbound();
        ByteBuf second = channel.readInbound();
        try {
            assertThat(first.readableBytes()).isEqualTo(query("SELECT 1").length);
            assertThat(second.readableBytes()).isEqualTo(query("SELECT 22").length);
        } finally {
            first.release();
            second.release();
        }
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void bytesWrittenBetweenFlushesGoOutAsOneBinaryFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new PostgresFrames());
        io.netty.channel.ChannelFuture first = channel.write(Unpooled.wrappedBuffer(new byte[] {'C', 0, 0, 0, 4}));
        io.netty.channel.ChannelFuture second = channel.write(Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 5,
            'I'}));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(first.isDone()).isFalse();
        channel.flush();
        BinaryWebSocketFrame frame = channel.readOutbound();
        try {
            assertThat(frame.content().readableBytes()).isEqualTo(11);
            assertThat(frame.content().getByte(5)).isEqualTo((byte) 'Z');
        } finally {
            frame.release();
        }
        assertThat(first.isSuccess()).isTrue();
        assertThat(second.isSuccess()).isTrue();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void bytesNotFlushedWhenTheConnectionClosesAreReleasedAndTheirWritesFail() {
        EmbeddedChannel channel = new EmbeddedChannel(new PostgresFrames());
        ByteBuf bytes = Unpooled.buffer().writeBytes(new byte[] {'Z', 0, 0, 0, 5, 'I'});
        io.netty.channel.ChannelFuture write = channel.write(bytes);
        channel.close();
        assertThat(bytes.refCnt()).isZero();
        assertThat(write.isSuccess()).isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void textFrameIsAnsweredWithCloseUnsupportedData() {
        EmbeddedChannel channel = new EmbeddedChannel(new PostgresFrames());
        channel.writeInbound(new TextWebSocketFrame("SELECT 1"));
        assertThat((Object) channel.readInbound()).isNull();
        CloseWebSocketFrame close = channel.readOutbound();
        try {
            assertThat(close.statusCode()).isEqualTo(1003);
        } finally {
            close.release();
        }
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }
}
