package io.pgmux.server.login;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.CancelRequest;
import io.pgmux.protocol.GssEncRequest;
import io.pgmux.protocol.MessageFrameDecoder;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.SslRequest;
import io.pgmux.protocol.StartupCodes;
import io.pgmux.protocol.StartupMessage;
import io.pgmux.protocol.StartupPacket;
import io.pgmux.server.admin.ServerControl;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.server.clients.ClientAdmission;
import io.pgmux.server.clients.ClientErrors;
import io.pgmux.server.clients.ClientTransport;
import io.pgmux.server.clients.LoginTimer;
import io.pgmux.server.logging.LogSafe;
import io.pgmux.server.session.ClientSession;
import io.pgmux.server.session.ProxyContext;
import io.pgmux.server.session.SessionParameters;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of a client connection: answers SSLRequest (TLS per client_tls_sslmode) and GSSENCRequest ('N'),
 * each at most once, forwards CancelRequests, and checks the StartupMessage (TLS rules, protocol version, user,
 * database) before handing over to authentication.
 */
final class ClientStartupHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientStartupHandler.class);

    private final ProxyContext context;
    private final LoginTimer loginTimer = new LoginTimer();
    private boolean failed;
    /**
     * An SSLRequest or GSSENCRequest was answered. As in PostgreSQL, each may come once, and neither once the
     * connection is encrypted; the other one is still allowed after a refusal (libpq tries GSS, then TLS).
     */
    private boolean sslAnswered;
    private boolean gssAnswered;

    ClientStartupHandler(ProxyContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        loginTimer.start(ctx, context.config().timeouts().clientLoginTimeout());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        StartupPacket packet = (StartupPacket) msg;
        if (failed) {
            return; // packets the decoder still had after a refusal are never looked at
        }
        if (packet instanceof SslRequest && ClientTransport.of(ctx.channel()) != ClientTransport.TCP) {
            refuseInTunnel(ctx);
        } else if (packet instanceof SslRequest) {
            try {
                if (sslAnswered || ClientTlsGate.onTls(ctx)) {
                    throw negotiatedBefore(StartupCodes.SSL_REQUEST_CODE);
                }
                sslAnswered = true;
                ClientTlsGate.answerSslRequest(ctx, context.clientTls());
            } catch (PgException e) {
                failed = true;
                ClientErrors.sendAndClose(ctx, e);
            }
        } else if (packet instanceof GssEncRequest) {
            if (gssAnswered || ClientTlsGate.onTls(ctx)) {
                failed = true;
                ClientErrors.sendAndClose(ctx, negotiatedBefore(StartupCodes.GSSENC_REQUEST_CODE));
                return;
            }
            gssAnswered = true;
            // GSS encryption is not offered; clients then continue in plain text or try TLS.
            ctx.writeAndFlush(BackendMessages.sslRefused());
        } else if (packet instanceof CancelRequest cancel) {
            forwardCancel(ctx, cancel);
        } else if (packet instanceof StartupMessage startup) {
            try {
                start(ctx, startup);
            } catch (PgException e) {
                failed = true;
                ClientErrors.sendAndClose(ctx, e);
            }
        }
    }

    /**
     * An SSLRequest inside a WebSocket: TLS is the WebSocket connection's business ({@code wss://}), so it is
     * refused once, as GSSENCRequest is, and the client goes on in the tunnel. The same on a Unix socket, where
     * PostgreSQL refuses TLS too.
     */
    private void refuseInTunnel(ChannelHandlerContext ctx) {
        if (sslAnswered) {
            failed = true;
            ClientErrors.sendAndClose(ctx, negotiatedBefore(StartupCodes.SSL_REQUEST_CODE));
            return;
        }
        sslAnswered = true;
        ctx.writeAndFlush(BackendMessages.sslRefused());
    }

    /**
     * PostgreSQL's answer to a negotiation request it no longer accepts: it reads the request code as a protocol
     * version ("unsupported frontend protocol 1234.5679"). pgmux reports it as 08P01, like any unsupported version.
     */
    private static PgException negotiatedBefore(int requestCode) {
        return new ProtocolException("unsupported frontend protocol " + (requestCode >>> 16) + "."
                + (requestCode & 0xFFFF) + ": server supports 3.0 to 3.0");
    }

    private void forwardCancel(ChannelHandlerContext ctx, CancelRequest cancel) {
        context.peerCancels().route(ctx.channel().eventLoop(), cancel);
        // Like PostgreSQL: no answer either way, so a wrong key reveals nothing.
        ctx.close();
    }

    private void start(ChannelHandlerContext ctx, StartupMessage startup) {
        if (!ctx.pipeline().get(ClientAdmission.class).admitted()) {
            throw ClientErrors.fatal(SqlState.TOO_MANY_CONNECTIONS,
                    "no more connections allowed (max_client_conn)");
        }
        if (startup.minorVersion() > 0 || !startup.protocolOptions().isEmpty()) {
            ctx.write(BackendMessages.negotiateProtocolVersion(ctx.alloc(), 0, startup.protocolOptions()));
        }
        String user = startup.user();
        if (user == null || user.isEmpty()) {
            throw ClientErrors.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "no PostgreSQL user name specified in startup packet");
        }
        if (startup.parameters().containsKey("replication")) {
            throw ClientErrors.fatal(SqlState.FEATURE_NOT_SUPPORTED, "replication connections are not supported");
        }
        String database = startup.database();
        ClientTlsGate.checkStartup(ctx, context.clientTls(), user, database, context.authFailures());
        if (!ServerControl.isConsole(database) && context.config().database(database) == null) {
            context.authFailures().record(AuthFailures.Reason.UNKNOWN_DATABASE);
            throw ClientErrors.fatal(SqlState.INVALID_CATALOG_NAME, "database \"" + database + "\" does not exist");
        }
        context.control().checkAdmission(database);
        SessionParameters parameters = SessionParameters.fromStartup(startup);
        log.debug("{} startup: user={} database={}", ctx.channel(), LogSafe.escape(user), LogSafe.escape(database));
        // Replace this handler before the decoder: replacing the decoder hands its leftover bytes to the next handler.
        ctx.pipeline().replace(this, "auth", new ClientAuthHandler(context, user, database, parameters, loginTimer));
        // While the client authenticates, its messages are small; trust logins are already in the session (or the
        // console, which reads every message it gets) here.
        PgmuxConfig config = context.config();
        MessageFrameDecoder frames;
        if (ctx.pipeline().get(ClientAuthHandler.class) != null) {
            frames = MessageFrameDecoder.frontend(Math.min(config.maxMessageLength(),
                    ClientAuthHandler.MAX_AUTH_MESSAGE_LENGTH));
        } else if (ctx.pipeline().get(ClientSession.class) != null) {
            frames = ClientAuthHandler.sessionFrames(config);
        } else {
            frames = MessageFrameDecoder.frontend(config.maxParsedMessageLength());
        }
        ctx.pipeline().replace("startup", "frames", frames);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loginTimer.stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            // A failed handshake: nothing can be sent in plain text any more, and it is the client's doing.
            log.info("{}: TLS handshake failed: {}", ctx.channel(), LogSafe.escape(cause.getMessage()));
            ctx.close();
            return;
        }
        ClientErrors.failAndClose(ctx, cause, "during startup");
    }
}
