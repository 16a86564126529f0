package io.pgmux.server.clients;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgmux.protocol.SqlState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Drops a client that has not finished logging in within client_login_timeout, so a connection that opens a
 * socket and sends nothing (slowloris) cannot hold a slot forever. Lives on the client's event loop.
 */
public final class LoginTimer {
    private ScheduledFuture<?> timeout;

    public void start(ChannelHandlerContext ctx, Duration limit) {
        if (limit.isZero() || limit.isNegative()) {
            return;
        }
        timeout = ctx.executor().schedule(() -> ClientErrors.sendAndClose(ctx.channel(), ClientErrors.fatal(
                SqlState.PROTOCOL_VIOLATION, "client_login_timeout: login not completed within "
                        + limit.toMillis() + " ms")), limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The client is logged in (or gone): the limit no longer applies. */
    public void stop() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
