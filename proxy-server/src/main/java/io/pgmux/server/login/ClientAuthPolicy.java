// Chooses the authentication method for one client connection: auth_type, or the first matching hba rule.
package io.pgmux.server.login;

import io.netty.channel.ChannelHandlerContext;
import io.pgmux.config.AuthSettings;
import io.pgmux.config.AuthType;
import io.pgmux.config.HbaRule;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.server.clients.ClientErrors;
import io.pgmux.server.clients.ClientTransport;
import io.pgmux.server.logging.LogSafe;
import io.pgmux.server.session.ProxyContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how a client must authenticate. Without {@code auth_hba_file} everyone gets {@code auth_type}; with it,
 * the first rule matching (TLS or not, database, user, client address; {@code local} rules for the Unix socket)
 * decides, and no match or a {@code reject} rule refuses the connection with SQLSTATE 28000 and PostgreSQL's wording.
 * The {@code password} method is refused on plain-text TCP connections unless {@code auth_cleartext_without_tls}
 * allows it. Stateless.
 */
public final class ClientAuthPolicy {
    private static final Logger log = LoggerFactory.getLogger(ClientAuthPolicy.class);

    private ClientAuthPolicy() {
    }

    /**
     * The method for this connection; never {@link AuthType#REJECT}.
     *
     * @throws PgException (28000) when the connection is refused; the failure is already counted and logged
     */
    public static AuthType methodFor(ProxyContext context, ChannelHandlerContext ctx, String user, String database) {
        AuthSettings auth = context.config().auth();
        boolean tls = ClientTlsGate.onTls(ctx);
        AuthType method = context.config().authType();
        if (auth.hbaFile() != null) {
            HbaRule rule = ClientTransport.isUnixSocket(ctx.channel()) ? firstLocalMatch(auth, user, database)
                    : firstMatch(auth, tls, user, database, clientAddress(ctx));
            if (rule == null) {
                throw refuse(context, ctx, AuthFailures.Reason.NO_HBA_ENTRY, "no pg_hba.conf entry for host \""
                        + ClientTlsGate.remoteHost(ctx) + "\", user \"" + user + "\", database \"" + database
                        + "\", " + encryption(tls), user);
            }
            method = rule.method();
            if (method == AuthType.REJECT) {
                throw refuse(context, ctx, AuthFailures.Reason.HBA_REJECT, "pg_hba.conf rejects connection for host \""
                        + ClientTlsGate.remoteHost(ctx) + "\", user \"" + user + "\", database \"" + database
                        + "\", " + encryption(tls), user);
            }
        }
        // A password sent over the Unix socket never leaves the machine.
        if (method == AuthType.PASSWORD && !tls && !auth.cleartextWithoutTls()
                && !ClientTransport.isUnixSocket(ctx.channel())) {
            throw refuse(context, ctx, AuthFailures.Reason.TLS_REQUIRED,
                    "password authentication in clear text needs TLS (user \"" + user + "\")", user);
        }
        return method;
    }

    private static HbaRule firstMatch(AuthSettings auth, boolean tls, String user, String database,
                                      InetAddress client) {
        for (HbaRule rule : auth.hbaRules()) {
            if (client != null && rule.matches(tls, database, user, client)) {
                return rule;
            }
        }
        return null;
    }

    /** The first {@code local} rule for a client of the Unix socket. */
    private static HbaRule firstLocalMatch(AuthSettings auth, String user, String database) {
        for (HbaRule rule : auth.hbaRules()) {
            if (rule.matchesLocal(database, user)) {
                return rule;
            }
        }
        return null;
    }

    private static InetAddress clientAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
    }

    private static String encryption(boolean tls) {
        return tls ? "SSL encryption" : "no encryption";
    }

    private static PgException refuse(ProxyContext context, ChannelHandlerContext ctx, AuthFailures.Reason reason,
                                      String message, String user) {
        context.authFailures().record(reason);
        log.info("{}: login refused for user \"{}\": {}", ctx.channel(), LogSafe.escape(user), reason.tag());
        return ClientErrors.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, message);
    }
}
