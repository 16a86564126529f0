// Counts the bytes a client connection receives and sends, for its pool's metrics.
package io.pgmux.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First handler of a client pipeline: adds the size of every buffer read from and written to the socket to the
 * pool's byte counters, once the client is logged in (bytes of the login itself are not counted). One
 * {@code instanceof} and one adder add per read batch or written message; the buffers pass through untouched.
 *
 * <p>Threading: the target field is written once, on the channel's loop or before any traffic of the session;
 * reads and writes happen on that same loop.
 */
public final class TrafficCounter extends ChannelDuplexHandler {
    private PoolMeters target;

    public void countFor(PoolMeters meters) {
        this.target = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PoolMeters t = target;
        if (t != null && msg instanceof ByteBuf buf) {
            t.bytesReceived.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        PoolMeters t = target;
        if (t != null && msg instanceof ByteBuf buf) {
            t.bytesSent.add(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
