// Passes a logged-in backend's frames to its current holder, and notices when the backend goes away.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.MessageContinuation;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on a logged-in backend channel, records what each frame says about the session
 * ({@link ServerConnection#observe}) and passes the frame to whoever holds the connection, on the holder's
 * executor. When nobody holds it (idle in the pool), anything PostgreSQL says is dropped, and a FATAL error
 * (e.g. the backend was terminated) takes the connection out of the pool.
 *
 * <p>The pieces of a streamed message ({@link MessageContinuation}) go to the holder that received its head. A
 * backend whose holder changed or left in the middle of such a message is closed: nobody could make sense of the
 * rest, and it must not reach the next holder as if it were a message.
 */
final class ServerRelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerRelayHandler.class);
    private final ServerConnection server;
    /**
     * Frames and pieces of the current read batch for a holder on another event loop. They cross over together, in
     * one task at the end of the batch: one wake-up of the holder's loop per batch instead of one per frame. Channel
     * loop only, like the fields below.
     */
    private ArrayList<Object> crossing = new ArrayList<>(8);
    private Route crossingRoute;
    /** Who received the head of the message being streamed, until its last piece; null between messages. */
    private Route streamRoute;
    private boolean abandoned;

    ServerRelayHandler(ServerConnection server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Route route = server.route();
        if (msg instanceof MessageContinuation rest) {
            Route headRoute = streamRoute;
            if (rest.isLast()) {
                streamRoute = null;
            }
            if (route != null && route == headRoute) {
                relay(route, rest);
            } else {
                rest.release();
                abandon(ctx, "was left in the middle of a message");
            }
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        try {
            server.observe(frame); // the backend's state is current before anyone acts on the frame
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        if (Frames.isPartial(frame)) {
            streamRoute = route;
        }
        if (route == null) {
            dropWhileIdle(ctx, frame);
        } else {
            relay(route, frame);
        }
    }

    private void relay(Route route, Object message) {
        if (route.executor().inEventLoop()) {
            sendCrossing(false);
            deliver(route.listener(), message);
        } else {
            // The holder lives on another event loop: its state stays confined there, so the frame crosses over.
            if (route != crossingRoute) {
                sendCrossing(false);
                crossingRoute = route;
            }
            crossing.add(message);
        }
    }

    private void deliver(ServerListener listener, Object message) {
        if (message instanceof MessageContinuation rest) {
            listener.onServerContinuation(server, rest);
        } else {
            listener.onServerFrame(server, (ByteBuf) message);
        }
    }

    /** Hands the frames gathered for another loop over in one task, in order, then the end of the batch if asked. */
    private void sendCrossing(boolean readComplete) {
        Route route = crossingRoute;
        if (route == null) {
            return; // nothing gathered: crossingRoute is set with the first frame
        }
        ArrayList<Object> messages = crossing;
        crossing = new ArrayList<>(8);
        crossingRoute = null;
        route.executor().execute(() -> {
            for (Object message : messages) {
                deliver(route.listener(), message);
            }
            if (readComplete) {
                route.listener().onServerReadComplete(server);
            }
        });
    }

    private void dropWhileIdle(ChannelHandlerContext ctx, ByteBuf frame) {
        try {
            if (Frames.type(frame) == BackendType.ERROR_RESPONSE) {
                log.info("{} sent an error while idle; closing it", server);
                ctx.close();
            } else if (Frames.isPartial(frame)) {
                abandon(ctx, "began a large message while idle");
            }
        } finally {
            frame.release();
        }
    }

    /** The backend is in the middle of a message that nobody can take: its stream is of no further use. */
    private void abandon(ChannelHandlerContext ctx, String what) {
        if (!abandoned) {
            abandoned = true;
            log.info("{} {}; closing it", server, what);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Route route = server.route();
        boolean endSent = false;
        if (crossingRoute != null) {
            endSent = crossingRoute == route; // the end of the batch crosses with its frames
            sendCrossing(endSent);
        }
        if (route == null || endSent) {
            return;
        }
        if (route.executor().inEventLoop()) {
            route.listener().onServerReadComplete(server);
        } else {
            route.executor().execute(() -> route.listener().onServerReadComplete(server));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        sendCrossing(false);
        Route route = server.route();
        if (route != null) {
            boolean writable = ctx.channel().isWritable();
            route.executor().execute(() -> route.listener().onServerWritabilityChanged(server, writable));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sendCrossing(false); // what the backend said last reaches its holder before the news that it is gone
        server.pool().onServerClosed(server);
        Route route = server.route();
        if (route != null) {
            PgException cause = new PgException(Severity.FATAL, SqlState.CONNECTION_FAILURE,
                    "server connection closed unexpectedly");
            route.executor().execute(() -> route.listener().onServerClosed(server, cause));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PgException pg = ProtocolException.unwrap(cause);
        log.warn("{}: {}; closing", server, pg != null ? pg.getMessage() : cause.toString());
        ctx.close();
    }
}
