package io.pgmux.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.PasswordMessage;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.SaslInitialResponse;
import io.pgmux.protocol.SaslResponse;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.auth.Md5Password;
import io.pgmux.protocol.auth.ScramException;
import io.pgmux.protocol.auth.ScramServer;
import io.pgmux.server.admin.AdminConsole;
import io.pgmux.server.admin.ServerControl;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a client to pgmux with the configured method (trust, md5 or SCRAM-SHA-256) against the
 * configured users, then hands the connection to a {@link ClientSession}. Unknown users and wrong passwords get
 * the same 28P01 error after the same exchange, so the answers reveal no user names.
 */
final class ClientAuthHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientAuthHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProxyContext context;
    private final String user;
    private final String database;
    private final SessionParameters parameters;
    private final LoginTimer loginTimer;
    private byte[] md5Salt;
    private ScramServer scram;
    private boolean scramFinalPending;

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
        switch (context.config().authType()) {
            case TRUST -> authenticated(ctx);
            case MD5 -> {
                md5Salt = new byte[4];
                RANDOM.nextBytes(md5Salt);
                ctx.writeAndFlush(BackendMessages.authenticationMd5Password(ctx.alloc(), md5Salt));
            }
            case SCRAM_SHA_256 -> ctx.writeAndFlush(BackendMessages.authenticationSasl(ctx.alloc(),
                    List.of("SCRAM-SHA-256")));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (Frames.type(frame) != FrontendType.PASSWORD_MESSAGE) {
                throw new ProtocolException("expected password response, got message type "
                        + FrontendType.name(Frames.type(frame)));
            }
            if (md5Salt != null) {
                checkMd5(ctx, PasswordMessage.password(frame));
            } else if (scram == null) {
                startScram(ctx, SaslInitialResponse.decode(frame));
            } else if (scramFinalPending) {
                finishScram(ctx, SaslResponse.data(frame));
            } else {
                throw new ProtocolException("unexpected password message");
            }
        } catch (PgException e) {
            ClientErrors.sendAndClose(ctx, e);
        } catch (ScramException e) {
            log.info("{}: SCRAM exchange failed for user \"{}\": {}", ctx.channel(), user, e.getMessage());
            ClientErrors.sendAndClose(ctx, passwordFailed());
        } finally {
            frame.release();
        }
    }

    private void checkMd5(ChannelHandlerContext ctx, String response) {
        String secret = context.credentials().password(user);
        if (secret == null || !Md5Password.verify(user, secret, md5Salt, response)) {
            throw passwordFailed();
        }
        authenticated(ctx);
    }

    private void startScram(ChannelHandlerContext ctx, SaslInitialResponse initial) {
        if (!"SCRAM-SHA-256".equals(initial.mechanism())) {
            throw new ProtocolException("unsupported SASL mechanism \"" + initial.mechanism() + "\"");
        }
        if (initial.data() == null) {
            throw new ProtocolException("SASL initial response without data");
        }
        scram = new ScramServer(context.credentials().scramSecret(user));
        byte[] serverFirst = scram.serverFirstMessage(initial.data());
        scramFinalPending = true;
        ctx.writeAndFlush(BackendMessages.authenticationSaslContinue(ctx.alloc(), serverFirst));
    }

    private void finishScram(ChannelHandlerContext ctx, byte[] clientFinal) {
        scramFinalPending = false;
        if (context.credentials().password(user) == null) {
            // Run the exchange to the end for unknown users; only then fail, like a wrong password.
            throw passwordFailed();
        }
        byte[] serverFinal = scram.serverFinalMessage(clientFinal);
        ctx.write(BackendMessages.authenticationSaslFinal(ctx.alloc(), serverFinal));
        authenticated(ctx);
    }

    private PgException passwordFailed() {
        context.metrics().authFailed(context.credentials().password(user) == null ? "unknown_user" : "password");
        return ClientErrors.fatal(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
    }

    private void authenticated(ChannelHandlerContext ctx) {
        if (ServerControl.isConsole(database)) {
            AdminConsole.checkAllowed(context.control(), user);
            loginTimer.stop();
            context.directory().loggedIn(ctx.channel(), database, user, true,
                    parameters.values().get("application_name"));
            ctx.pipeline().replace(this, "console", new AdminConsole(context.control(), PgmuxVersion.version(), user,
                    context.config().admin().isAdmin(user), context.clients().newKey().processId()));
            return;
        }
        context.directory().loggedIn(ctx.channel(), database, user, false,
                parameters.values().get("application_name"));
        ctx.pipeline().replace(this, "session", new ClientSession(context, user, database, parameters, loginTimer));
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
