// Unwraps the PostgreSQL bytes a WebSocket client sends in binary frames, and wraps what pgmux sends it.
package io.pgmux.server.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boundary between the WebSocket and the PostgreSQL handlers of a connection. Inbound, the content of every
 * binary frame (and of its continuations) goes on as a plain {@code ByteBuf}: frames carry a byte stream, so they may
 * split or merge PostgreSQL messages anyhow, and the PostgreSQL decoders frame it exactly as they frame a socket's.
 * Outbound, every {@code ByteBuf} the session writes becomes one binary frame. A text frame is not PostgreSQL:
 * the connection is closed with status 1003 (unsupported data).
 *
 * <p>Ownership: an inbound frame's content is handed on (the frame is not released); an outbound buffer becomes the
 * frame's content. Not sharable; runs on the channel's loop.
 */
final class PostgresFrames extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(PostgresFrames.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((io.netty.buffer.ByteBufHolder) msg).content());
            return;
        }
        ReferenceCountUtil.release(msg);
        log.info("{}: WebSocket client sent {}, not a binary frame; closing", ctx.channel(),
                msg.getClass().getSimpleName());
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            ctx.write(new BinaryWebSocketFrame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
