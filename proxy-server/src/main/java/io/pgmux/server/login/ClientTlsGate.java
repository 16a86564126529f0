// Decides, per client connection, whether TLS is offered, required and properly used.
package io.pgmux.server.login;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.pgmux.config.ClientTlsMode;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.StartupDecoder;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.server.clients.ClientErrors;
import io.pgmux.server.clients.ClientTransport;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The client-side TLS rules of {@code client_tls_sslmode}: answering SSLRequest, refusing plain-text logins when
 * TLS is required, and matching a client certificate's common name to the user under {@code verify-full}.
 * Stateless; runs on the client's event loop.
 */
final class ClientTlsGate {
    static final String TLS_HANDLER = "tls";

    private ClientTlsGate() {
    }

    /** Whether this connection runs over TLS. */
    static boolean onTls(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    /**
     * Answers the first SSLRequest of a connection that does not use TLS yet: {@code N} when TLS is off, otherwise
     * {@code S} followed by the handshake. Repeated requests are refused by {@link ClientStartupHandler}.
     *
     * @throws PgException (08P01) for plain-text bytes sent after the SSLRequest before the handshake (they must
     *                     never be taken as if they had come through TLS)
     */
    static void answerSslRequest(ChannelHandlerContext ctx, ClientTls tls) {
        StartupDecoder decoder = ctx.pipeline().get(StartupDecoder.class);
        if (decoder != null && decoder.bufferedBytes() > 0) {
            throw ClientErrors.protocolViolation("received unencrypted data after SSL request");
        }
        if (!tls.enabled()) {
            ctx.writeAndFlush(BackendMessages.sslRefused());
            return;
        }
        // The 'S' passes the pipeline before the TLS handler exists, so it goes out in plain text as it must.
        ctx.writeAndFlush(BackendMessages.sslAccepted());
        ctx.pipeline().addFirst(TLS_HANDLER, tls.newHandler(ctx.alloc()));
    }

    /**
     * Applies the mode to a StartupMessage.
     *
     * @throws PgException (28000) when TLS is required and not used, or a verify-full certificate names another user
     */
    static void checkStartup(ChannelHandlerContext ctx, ClientTls tls, String user, String database,
                             AuthFailures failures) {
        ClientTlsMode mode = tls.mode();
        if (ClientTransport.isUnixSocket(ctx.channel())) {
            return; // no TLS on a Unix socket, as in PostgreSQL and PgBouncer: the file's permissions guard it
        }
        if (mode.requiresTls() && !onTls(ctx)) {
            failures.record(AuthFailures.Reason.TLS_REQUIRED);
            throw ClientErrors.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "no pg_hba.conf entry for host \""
                    + remoteHost(ctx) + "\", user \"" + user + "\", database \"" + database + "\", no encryption");
        }
        if (mode == ClientTlsMode.VERIFY_FULL && !user.equals(certificateCommonName(ctx))) {
            failures.record(AuthFailures.Reason.CERTIFICATE);
            throw ClientErrors.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "certificate authentication failed for user \"" + user + "\"");
        }
    }

    /** The client's IP address as text; {@code [local]} on the Unix socket, as PostgreSQL writes it. */
    static String remoteHost(ChannelHandlerContext ctx) {
        if (ClientTransport.isUnixSocket(ctx.channel())) {
            return "[local]";
        }
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    /** The CN of the verified client certificate, or null when there is none. */
    private static String certificateCommonName(ChannelHandlerContext ctx) {
        SslHandler handler = ctx.pipeline().get(SslHandler.class);
        try {
            Certificate[] chain = handler.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return null;
            }
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }
}
