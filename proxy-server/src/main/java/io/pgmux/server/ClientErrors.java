package io.pgmux.server;

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

/** The one way a proxy failure reaches a client: an ErrorResponse with a real SQLSTATE, then a close. */
final class ClientErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ClientErrors.class);
    private ClientErrors() {
    }

    /** Sends {@code error} as an ErrorResponse and closes the connection once it is written. */
    static void sendAndClose(ChannelHandlerContext ctx, PgException error) {
        sendAndClose(ctx.channel(), error);
    }

    static void sendAndClose(Channel channel, PgException error) {
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
    static void failAndClose(ChannelHandlerContext ctx, Throwable cause, String phase) {
        if (OrdinaryDisconnect.is(cause)) {
            LOG.debug("{}: client went away {}: {}", ctx.channel(), phase, cause.toString());
            ctx.close();
            return;
        }
        PgException error = ProtocolException.unwrap(cause);
        if (error == null) {
            LOG.warn("{}: unexpected error {}", ctx.channel(), phase, cause);
            error = fatal(SqlState.INTERNAL_ERROR, "internal error");
        }
        sendAndClose(ctx, error);
    }

    static PgException fatal(String sqlState, String message) {
        return new PgException(Severity.FATAL, sqlState, message);
    }

    static PgException protocolViolation(String message) {
        return fatal(SqlState.PROTOCOL_VIOLATION, message);
    }
}
