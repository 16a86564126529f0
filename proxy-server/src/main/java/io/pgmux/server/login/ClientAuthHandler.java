package io.pgmux.server.login;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.pgmux.protocol.auth.ThreadRandom;
import io.pgmux.config.AuthType;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.MessageFrameDecoder;
import io.pgmux.protocol.PasswordMessage;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.SaslInitialResponse;
import io.pgmux.protocol.SaslResponse;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.auth.ChannelBinding;
import io.pgmux.protocol.auth.CleartextPassword;
import io.pgmux.protocol.auth.Md5Password;
import io.pgmux.protocol.auth.ScramException;
import io.pgmux.protocol.auth.ScramSecret;
import io.pgmux.protocol.auth.ScramServer;
import io.pgmux.server.PgmuxVersion;
import io.pgmux.server.admin.AdminConsole;
import io.pgmux.server.admin.ServerControl;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.server.clients.ClientErrors;
import io.pgmux.server.clients.LoginTimer;
import io.pgmux.server.logging.LogSafe;
import io.pgmux.server.session.ClientSession;
import io.pgmux.server.session.ProxyContext;
import io.pgmux.server.session.SessionParameters;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a client to pgmux with the method {@link ClientAuthPolicy} chose (trust, password, md5 or
 * SCRAM-SHA-256, with SCRAM-SHA-256-PLUS on TLS), then hands the connection to a {@link ClientSession}. Unknown
 * users and wrong passwords get the same 28P01 error after the same exchange, so the answers reveal no user names.
 * As in PostgreSQL, md5 falls back to SCRAM for a user whose secret is a SCRAM secret. Every failure is counted in
 * {@link AuthFailures} and logged without secrets.
 */
final class ClientAuthHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientAuthHandler.class);
    private static final String SCRAM = "SCRAM-SHA-256";
    private static final String SCRAM_PLUS = "SCRAM-SHA-256-PLUS";
    /**
     * Largest message accepted before login (PostgreSQL allows 65535-byte authentication tokens): an unauthenticated
     * client must not make pgmux buffer max_message_length bytes. The full limit applies from the session on.
     */
    static final int MAX_AUTH_MESSAGE_LENGTH = 65_535 + 1024;

    /** What the next PasswordMessage-type frame must be. */
    private enum Step { CLEARTEXT, MD5, SASL_INITIAL, SASL_FINAL, DONE }

    private final ProxyContext context;
    private final String user;
    private final String database;
    private final SessionParameters parameters;
    private final LoginTimer loginTimer;
    private Step step = Step.DONE;
    private byte[] md5Salt;
    private byte[] channelBinding;
    private ScramServer scram;
    private ScramSecret scramSecret;
    /** The user's stored password or secret (configured or looked up); null for an unknown user. */
    private String secret;

    ClientAuthHandler(ProxyContext context, String user, String database, SessionParameters parameters,
                      LoginTimer loginTimer) {
        this.context = context;
        this.user = user;
        this.database = database;
        this.parameters = parameters;
        this.loginTimer = loginTimer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        AuthType method;
        try {
            method = ClientAuthPolicy.methodFor(context, ctx, user, database);
        } catch (PgException e) {
            ClientErrors.sendAndClose(ctx, e);
            return;
        }
        if (method == AuthType.TRUST || !context.credentials().looksUp(database, user)) {
            secret = context.credentials().password(user);
            begin(ctx, method);
            return;
        }
        // auth_query runs on its own thread; the client sends nothing until it gets the authentication request.
        context.credentials().lookup(database, user).whenComplete((found, error) -> ctx.executor().execute(() -> {
            if (!ctx.channel().isActive() || ctx.isRemoved()) {
                return;
            }
            if (error != null) {
                log.warn("{}: looking up user \"{}\" failed: {}", ctx.channel(), LogSafe.escape(user),
                        LogSafe.escape(error.getMessage()));
                ClientErrors.sendAndClose(ctx, ClientErrors.fatal(SqlState.CONNECTION_FAILURE,
                        "authentication lookup failed for user \"" + user + "\""));
                return;
            }
            secret = found;
            begin(ctx, method);
        }));
    }

    private void begin(ChannelHandlerContext ctx, AuthType method) {
        switch (method) {
            case TRUST -> authenticated(ctx);
            case PASSWORD -> {
                step = Step.CLEARTEXT;
                ctx.writeAndFlush(BackendMessages.authenticationCleartextPassword());
            }
            case MD5 -> {
                if (ScramSecret.looksLikeSecret(secret)) {
                    startSasl(ctx);
                    return;
                }
                step = Step.MD5;
                md5Salt = new byte[4];
                ThreadRandom.get().nextBytes(md5Salt);
                ctx.writeAndFlush(BackendMessages.authenticationMd5Password(ctx.alloc(), md5Salt));
            }
            case SCRAM_SHA_256 -> startSasl(ctx);
            case REJECT -> throw new IllegalStateException("ClientAuthPolicy never returns reject");
        }
    }

    private void startSasl(ChannelHandlerContext ctx) {
        channelBinding = channelBindingData(ctx);
        step = Step.SASL_INITIAL;
        List<String> mechanisms = channelBinding != null ? List.of(SCRAM_PLUS, SCRAM) : List.of(SCRAM);
        ctx.writeAndFlush(BackendMessages.authenticationSasl(ctx.alloc(), mechanisms));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (Frames.type(frame) != FrontendType.PASSWORD_MESSAGE) {
                throw new ProtocolException("expected password response, got message type "
                        + FrontendType.name(Frames.type(frame)));
            }
            switch (step) {
                case CLEARTEXT -> checkCleartext(ctx, PasswordMessage.password(frame));
                case MD5 -> checkMd5(ctx, PasswordMessage.password(frame));
                case SASL_INITIAL -> startScram(ctx, SaslInitialResponse.decode(frame));
                case SASL_FINAL -> finishScram(ctx, SaslResponse.data(frame));
                case DONE -> throw new ProtocolException("unexpected password message");
            }
        } catch (PgException e) {
            step = Step.DONE;
            if (SqlState.PROTOCOL_VIOLATION.equals(e.sqlState())) {
                fail(AuthFailures.Reason.PROTOCOL, e.getMessage());
            }
            ClientErrors.sendAndClose(ctx, e);
        } catch (ScramException e) {
            step = Step.DONE;
            boolean wrongProof = scram != null && scram.proofRejected();
            ClientErrors.sendAndClose(ctx, passwordFailed(wrongProof ? failureForUser() : AuthFailures.Reason.PROTOCOL,
                    "SCRAM exchange failed: " + e.getMessage()));
        } finally {
            frame.release();
        }
    }

    private void checkCleartext(ChannelHandlerContext ctx, String password) {
        step = Step.DONE;
        if (!CleartextPassword.verify(user, secret, password)) {
            throw passwordFailed(failureForUser(), "wrong cleartext password");
        }
        authenticated(ctx);
    }

    private void checkMd5(ChannelHandlerContext ctx, String response) {
        step = Step.DONE;
        if (secret == null || !Md5Password.verify(user, secret, md5Salt, response)) {
            throw passwordFailed(failureForUser(), "wrong md5 response");
        }
        if (secret.startsWith("md5")) {
            // The hash is all pgmux knows, and all md5 needs to log in to PostgreSQL as this user too.
            context.pools().passthroughLogins().putMd5Secret(user, secret);
        }
        authenticated(ctx);
    }

    private void startScram(ChannelHandlerContext ctx, SaslInitialResponse initial) {
        boolean plus = SCRAM_PLUS.equals(initial.mechanism());
        if (!SCRAM.equals(initial.mechanism()) && !(plus && channelBinding != null)) {
            throw new ProtocolException("unsupported SASL mechanism \"" + initial.mechanism() + "\"");
        }
        if (initial.data() == null) {
            throw new ProtocolException("SASL initial response without data");
        }
        scramSecret = context.credentials().scramSecret(user, secret);
        scram = new ScramServer(scramSecret, plus, channelBinding);
        byte[] serverFirst = scram.serverFirstMessage(initial.data());
        step = Step.SASL_FINAL;
        ctx.writeAndFlush(BackendMessages.authenticationSaslContinue(ctx.alloc(), serverFirst));
    }

    private void finishScram(ChannelHandlerContext ctx, byte[] clientFinal) {
        step = Step.DONE;
        if (secret == null) {
            // Run the exchange to the end for unknown users; only then fail, like a wrong password.
            throw passwordFailed(AuthFailures.Reason.UNKNOWN_USER, "unknown user");
        }
        byte[] serverFinal = scram.serverFinalMessage(clientFinal);
        if (ScramSecret.looksLikeSecret(secret)) {
            // pgmux cannot derive a proof from the stored secret alone; the client's ClientKey lets it log in.
            context.pools().passthroughLogins().putScramKeys(user, scram.clientKey(), scramSecret.serverKey());
        }
        ctx.write(BackendMessages.authenticationSaslFinal(ctx.alloc(), serverFinal));
        authenticated(ctx);
    }

    /** The tls-server-end-point data of this connection, or null without TLS. */
    private static byte[] channelBindingData(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        Certificate[] local = tls.engine().getSession().getLocalCertificates();
        return local != null && local.length > 0 && local[0] instanceof X509Certificate certificate
                ? ChannelBinding.tlsServerEndPoint(certificate) : null;
    }

    private AuthFailures.Reason failureForUser() {
        return secret == null
                ? AuthFailures.Reason.UNKNOWN_USER : AuthFailures.Reason.WRONG_PASSWORD;
    }

    private void fail(AuthFailures.Reason reason, String detail) {
        context.authFailures().record(reason);
        log.info("authentication failed for user \"{}\" ({}): {}", LogSafe.escape(user), reason.tag(),
                LogSafe.escape(detail));
    }

    private PgException passwordFailed(AuthFailures.Reason reason, String detail) {
        fail(reason, detail);
        return ClientErrors.fatal(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
    }

    private void authenticated(ChannelHandlerContext ctx) {
        if (ServerControl.isConsole(database)) {
            AdminConsole.checkAllowed(context.control(), user);
            loginTimer.stop();
            context.clients().loggedIn(ctx.channel(), database, user, true,
                    parameters.values().get("application_name"));
            ctx.pipeline().replace(this, "console", new AdminConsole(context.control(), PgmuxVersion.version(), user,
                    context.config().admin().isAdmin(user), context.clients().newKey().processId()));
            return;
        }
        PgmuxConfig config = context.config();
        context.clients().admitLogin(ctx.channel(), database, user, config.maxDbClientConnections(database),
                config.maxUserClientConnections(user));
        context.clients().loggedIn(ctx.channel(), database, user, false,
                parameters.values().get("application_name"));
        ctx.pipeline().replace(this, "session", new ClientSession(context, user, database, parameters, loginTimer));
        // Lift the login-time message limit and refuse password messages from now on. Bytes the old decoder still
        // holds go to the new one. Absent when a trust login finishes during the startup handover, which then
        // installs the logged-in decoder itself.
        if (ctx.pipeline().get("frames") != null) {
            ctx.pipeline().replace("frames", "frames", sessionFrames(context.config()));
        }
    }

    /**
     * The decoder of a logged-in client: large CopyData, Bind and FunctionCall messages stream through to the
     * backend; everything pgmux reads is held whole up to max_parsed_message_length.
     */
    static MessageFrameDecoder sessionFrames(PgmuxConfig config) {
        return MessageFrameDecoder.loggedInFrontend(config.maxMessageLength(), config.maxParsedMessageLength());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loginTimer.stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientErrors.failAndClose(ctx, cause, "during authentication");
    }
}
