package io.pgmux.server.session;

import io.netty.channel.ChannelHandlerContext;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.server.clients.ClientKey;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a client's login as PostgreSQL sends it: AuthenticationOk, the backend's reported parameters, the
 * cancel key pgmux made for the client (never the backend's), and ReadyForQuery.
 */
final class LoginCompletion {

    private LoginCompletion() {
    }

    /**
     * What a client is told at login without a backend of its own: the values the pool's backends report, with the
     * client's startup values for the parameters it set (names compared case-insensitively, as PostgreSQL does).
     * They are applied with SET when the client is given a backend.
     */
    static Map<String, String> reportedValues(Map<String, String> poolDefaults, Map<String, String> clientValues) {
        Map<String, String> byName = new LinkedHashMap<>();
        clientValues.forEach((name, value) -> byName.put(name.toLowerCase(Locale.ROOT), value));
        Map<String, String> reported = new LinkedHashMap<>();
        poolDefaults.forEach((name, value) ->
                reported.put(name, byName.getOrDefault(name.toLowerCase(Locale.ROOT), value)));
        return reported;
    }

    static void send(ChannelHandlerContext ctx, Map<String, String> reportedParameters, ClientKey key) {
        ctx.writeAndFlush(BackendMessages.loginCompletion(ctx.alloc(), reportedParameters, key.processId(),
                key.secret()));
    }
}
