// The one way a proxy failure reaches a client: an ErrorResponse with a real SQLSTATE; FATAL closes.
package io.pgmux.server.clients;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a proxy failure reaches a client, for the client sessions and the admin console alike: a
 * {@link PgException} becomes an ErrorResponse with its SQLSTATE; a FATAL one then closes the connection, an ERROR
 * leaves the session going on. Stateless.
 */
public final class ClientErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ClientErrors.class);
    private ClientErrors() {
    }

    /** Sends {@code error} as an ErrorResponse and closes the connection once it is written. */
    public static void sendAndClose(ChannelHandlerContext ctx, PgException error) {
        sendAndClose(ctx.channel(), error);
    }

    public static void sendAndClose(Channel channel, PgException error) {
        PoolerErrorLog.record(channel, error);
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        channel.writeAndFlush(BackendMessages.errorResponse(channel.alloc(), error))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Reports any failure to the client and closes: a {@link PgException} (possibly wrapped by Netty) as itself,
     * an {@link OrdinaryDisconnect} not at all (the client is gone), anything else logged with its stack trace and
     * reported as an internal error without details.
     */
    public static void failAndClose(ChannelHandlerContext ctx, Throwable cause, String phase) {
        if (OrdinaryDisconnect.is(cause)) {
            LOG.debug("{}: client went away {}: {}", ctx.channel(), phase, cause.toString());
            ctx.close();
            return;
        }
        sendAndClose(ctx, reportable(ctx, cause, Severity.FATAL, phase));
    }

    /**
     * Sends {@code error} and flushes it: a FATAL one closes the connection once it is written, an ERROR leaves the
     * session going on (the caller follows it with ReadyForQuery when one is owed).
     *
     * @return true when the session goes on
     */
    public static boolean send(ChannelHandlerContext ctx, PgException error) {
        if (error.severity() == Severity.FATAL || error.severity() == Severity.PANIC) {
            sendAndClose(ctx, error);
            return false;
        }
        ctx.writeAndFlush(BackendMessages.errorResponse(ctx.alloc(), error));
        return true;
    }

    /**
     * What the client is told of {@code cause}: a {@link PgException} (possibly wrapped by Netty) as itself;
     * anything else is a pgmux bug, logged with its stack trace and reported with {@code severity} as an internal
     * error without details.
     */
    public static PgException reportable(ChannelHandlerContext ctx, Throwable cause, Severity severity, String phase) {
        PgException error = ProtocolException.unwrap(cause);
        if (error == null) {
            LOG.warn("{}: unexpected error {}", ctx.channel(), phase, cause);
            error = new PgException(severity, SqlState.INTERNAL_ERROR, "internal error");
        }
        return error;
    }

    public static PgException fatal(String sqlState, String message) {
        return new PgException(Severity.FATAL, sqlState, message);
    }

    /** An error the session survives: the client gets it, then ReadyForQuery. */
    public static PgException error(String sqlState, String message) {
        return new PgException(Severity.ERROR, sqlState, message);
    }

    public static PgException protocolViolation(String message) {
        return fatal(SqlState.PROTOCOL_VIOLATION, message);
    }
}
