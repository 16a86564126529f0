// Unwraps the PostgreSQL bytes a WebSocket client sends in binary frames, and wraps what pgmux sends it.
package io.pgmux.server.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boundary between the WebSocket and the PostgreSQL handlers of a connection. Inbound, the content of every
 * binary frame (and of its continuations) goes on as a plain {@code ByteBuf}: frames carry a byte stream, so they may
 * split or merge PostgreSQL messages anyhow, and the PostgreSQL decoders frame it exactly as they frame a socket's.
 * Outbound, what the session writes between two flushes goes out as one binary frame: the session writes message
 * by message and flushes once per backend read batch, and a frame per message would cost a frame header, an
 * encoder pass and, in the client, an event each. A text frame is not PostgreSQL: the connection is closed with
 * status 1003 (unsupported data).
 *
 * <p>Ownership: an inbound frame's content is handed on (the frame is not released). Outbound buffers join a
 * composite that becomes the frame's content at the flush; their promises complete when that frame is written.
 * Buffers not flushed when the connection closes or the handler leaves are released and their promises failed, as
 * Netty does with unflushed writes. Not sharable; runs on the channel's loop.
 */
final class PostgresFrames extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(PostgresFrames.class);
    /** Components before the composite consolidates (copies): more than one read batch's messages. */
    private static final int MAX_COMPONENTS = 1024;

    /** What was written since the last flush; null when nothing was. */
    private CompositeByteBuf pending;
    /** The promises of those writes (void promises are left out). */
    private final List<ChannelPromise> promises = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((ByteBufHolder) msg).content());
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
        if (!(msg instanceof ByteBuf bytes)) {
            writePending(ctx); // keeps the order: a close frame goes after the bytes written before it
            ctx.write(msg, promise);
            return;
        }
        if (pending == null) {
            pending = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
        }
        pending.addComponent(true, bytes);
        if (!promise.isVoid()) {
            promises.add(promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        writePending(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        discardPending();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardPending();
    }

    private void writePending(ChannelHandlerContext ctx) {
        if (pending == null) {
            return;
        }
        BinaryWebSocketFrame frame = new BinaryWebSocketFrame(pending);
        pending = null;
        ChannelPromise written = ctx.newPromise();
        if (!promises.isEmpty()) {
            ChannelPromise[] waiting = promises.toArray(new ChannelPromise[0]);
            promises.clear();
            written.addListener(done -> {
                for (ChannelPromise p : waiting) {
                    if (done.isSuccess()) {
                        p.trySuccess();
                    } else {
                        p.tryFailure(done.cause());
                    }
                }
            });
        }
        ctx.write(frame, written);
    }

    private void discardPending() {
        if (pending == null) {
            return;
        }
        pending.release();
        pending = null;
        ClosedChannelException closed = new ClosedChannelException();
        for (ChannelPromise p : promises) {
            p.tryFailure(closed);
        }
        promises.clear();
    }
}
