// Logs a fresh backend channel in to PostgreSQL and hands it over as a ServerConnection.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.Authentication;
import io.pgmux.protocol.BackendKeyData;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.ErrorFields;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.ParameterStatus;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.ProtocolException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.auth.Md5Password;
import io.pgmux.protocol.auth.ScramClient;
import io.pgmux.protocol.auth.ScramException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs a fresh backend channel in to PostgreSQL (StartupMessage, then cleartext, md5 or SCRAM-SHA-256), collects
 * the ParameterStatus values and BackendKeyData, and on the first ReadyForQuery hands the channel over to a
 * {@link ServerRelayHandler} by completing the promise with a {@link ServerConnection}.
 */
final class ServerLoginHandler extends ChannelInboundHandlerAdapter {
    private static final String SCRAM_PREFIX = "SCRAM-SHA-256$";
    private final Pool pool;
    private final BackendTarget target;
    private final ServerTls tls;
    private final Promise<ServerConnection> promise;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private BackendKeyData backendKey;
    private ScramClient scram;

    ServerLoginHandler(Pool pool, BackendTarget target, ServerTls tls, Promise<ServerConnection> promise) {
        this.pool = pool;
        this.target = target;
        this.tls = tls;
        this.promise = promise;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", target.user());
        startup.put("database", target.database());
        startup.putAll(target.startupParameters());
        ctx.writeAndFlush(FrontendMessages.startupMessage(ctx.alloc(), startup));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            // The rest of a large message, whose head already failed the login as unexpected.
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            handle(ctx, frame);
        } catch (PgException | ScramException e) {
            fail(ctx, e);
        } finally {
            frame.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf frame) {
        switch (Frames.type(frame)) {
            case BackendType.AUTHENTICATION -> authenticate(ctx, Authentication.decode(frame));
            case BackendType.PARAMETER_STATUS -> {
                ParameterStatus status = ParameterStatus.decode(frame);
                parameters.put(status.name(), status.value());
            }
            case BackendType.BACKEND_KEY_DATA -> backendKey = BackendKeyData.decode(frame);
            case BackendType.ERROR_RESPONSE -> {
                ErrorFields error = ErrorFields.decode(frame);
                throw new PgException(Severity.FATAL, error.sqlState(), error.message(), error.detail(), error.hint());
            }
            case BackendType.READY_FOR_QUERY -> loggedIn(ctx);
            case BackendType.NOTICE_RESPONSE, BackendType.NEGOTIATE_PROTOCOL_VERSION -> {
                // Harmless during login: PostgreSQL may warn, or tell us it ignored an option.
            }
            default -> throw new ProtocolException("unexpected message " + BackendType.name(Frames.type(frame))
                    + " from server during login");
        }
    }

    private void authenticate(ChannelHandlerContext ctx, Authentication auth) {
        switch (auth.code()) {
            case Authentication.OK -> {
            }
            case Authentication.CLEARTEXT_PASSWORD ->
                    ctx.writeAndFlush(FrontendMessages.passwordMessage(ctx.alloc(), requirePlainPassword()));
            case Authentication.MD5_PASSWORD -> ctx.writeAndFlush(FrontendMessages.passwordMessage(ctx.alloc(),
                    md5Response(auth.data())));
            case Authentication.SASL -> {
                if (!auth.saslMechanisms().contains("SCRAM-SHA-256")) {
                    throw new PgException(Severity.FATAL, SqlState.FEATURE_NOT_SUPPORTED,
                            "server offers no supported SASL mechanism: " + auth.saslMechanisms());
                }
                scram = scramClient();
                ctx.writeAndFlush(FrontendMessages.saslInitialResponse(ctx.alloc(), "SCRAM-SHA-256",
                        scram.clientFirstMessage()));
            }
            case Authentication.SASL_CONTINUE ->
                    ctx.writeAndFlush(FrontendMessages.saslResponse(ctx.alloc(), scram().clientFinalMessage(auth.data())));
            case Authentication.SASL_FINAL -> scram().verifyServerFinal(auth.data());
            default -> throw new PgException(Severity.FATAL, SqlState.FEATURE_NOT_SUPPORTED,
                    "server requested unsupported authentication method " + auth.code());
        }
    }

    private String md5Response(byte[] salt) {
        String password = requirePassword();
        return password.startsWith("md5") && password.length() == 35
                ? Md5Password.clientResponseFromStored(password, salt)
                : Md5Password.clientResponse(target.user(), password, salt);
    }

    /** With the plain password if configured, else with the keys of the user's last SCRAM login to pgmux. */
    private ScramClient scramClient() {
        String password = target.password();
        if (password != null && !password.startsWith(SCRAM_PREFIX)) {
            return pool == null ? new ScramClient(password) : new ScramClient(password, pool.backendScramKeys());
        }
        PassthroughLogins.ScramKeys keys = target.passthrough() == null ? null
                : target.passthrough().scramKeys(target.user());
        if (keys == null) {
            throw new PgException(Severity.FATAL, SqlState.INVALID_PASSWORD, "cannot log in to the server as \""
                    + target.user() + "\" with SCRAM: no password configured and no SCRAM login of this user seen yet");
        }
        return ScramClient.withKeys(keys.clientKey(), keys.serverKey());
    }

    private String requirePlainPassword() {
        String password = requirePassword();
        if (password.startsWith(SCRAM_PREFIX) || password.startsWith("md5") && password.length() == 35) {
            throw new PgException(Severity.FATAL, SqlState.INVALID_PASSWORD, "server asked for the cleartext password"
                    + " of \"" + target.user() + "\", but only a hash of it is known");
        }
        return password;
    }

    private ScramClient scram() {
        if (scram == null) {
            throw new ProtocolException("SASL message from server before SASL started");
        }
        return scram;
    }

    private String requirePassword() {
        String learnt = target.passthrough() == null ? null : target.passthrough().md5Secret(target.user());
        if ((target.password() == null || target.password().startsWith(SCRAM_PREFIX)) && learnt != null) {
            return learnt;
        }
        if (target.password() == null) {
            throw new PgException(Severity.FATAL, SqlState.INVALID_PASSWORD,
                    "server requested a password for user \"" + target.user() + "\" but none is configured");
        }
        return target.password();
    }

    private void loggedIn(ChannelHandlerContext ctx) {
        ServerConnection server = new ServerConnection(pool, target, tls, ctx.channel(), backendKey, parameters);
        ctx.pipeline().replace(this, "relay", new ServerRelayHandler(server));
        if (!promise.trySuccess(server)) {
            server.close(); // the pool gave up on this connection (timeout or shutdown)
        }
    }

    private void fail(ChannelHandlerContext ctx, Exception cause) {
        PgException error = cause instanceof PgException pg ? pg
                : new PgException(Severity.FATAL, SqlState.INVALID_PASSWORD, "server login failed: " + cause.getMessage());
        promise.tryFailure(error);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        promise.tryFailure(ServerFailures.closedDuringLogin());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PgException pg = ProtocolException.unwrap(cause);
        fail(ctx, pg != null ? pg : ServerFailures.lost(cause));
    }
}
