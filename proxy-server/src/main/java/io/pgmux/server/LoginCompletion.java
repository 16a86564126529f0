package io.pgmux.server;

import io.netty.channel.ChannelHandlerContext;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.TransactionStatus;
import java.util.Map;

/**
 * The end of a client's login as PostgreSQL sends it: AuthenticationOk, the backend's reported parameters, the
 * cancel key pgmux made for the client (never the backend's), and ReadyForQuery.
 */
final class LoginCompletion {

    private LoginCompletion() {
    }

    static void send(ChannelHandlerContext ctx, Map<String, String> reportedParameters, ClientKey key) {
        ctx.write(BackendMessages.authenticationOk());
        reportedParameters.forEach((name, value) -> ctx.write(BackendMessages.parameterStatus(ctx.alloc(), name, value)));
        ctx.write(BackendMessages.backendKeyData(ctx.alloc(), key.processId(), key.secret()));
        ctx.writeAndFlush(BackendMessages.readyForQuery(TransactionStatus.IDLE));
    }
}
