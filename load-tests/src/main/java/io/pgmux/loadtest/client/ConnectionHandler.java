// The per-connection protocol state machine: login first, then routing answers to the request queue.
package io.pgmux.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgmux.protocol.Authentication;
import io.pgmux.protocol.BackendKeyData;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.ErrorFields;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.ParameterStatus;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Receives whole backend frames from {@link io.pgmux.protocol.MessageFrameDecoder} and releases every one of them.
 * Until the first ReadyForQuery it runs the login; afterwards it hands frames to the client's {@link RequestQueue}.
 * Any failure closes the channel; closing fails the login future or every outstanding request.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final PgClient client;
    private final Map<String, String> startupParameters;
    private final LoginExchange login;
    private final CompletableFuture<PgClient> connected;
    private final long loginTimeoutMillis;
    private ScheduledFuture<?> loginTimer;
    private PgClientException failure;

    ConnectionHandler(PgClient client, Map<String, String> startupParameters, String password,
                      CompletableFuture<PgClient> connected, long loginTimeoutMillis) {
        this.client = client;
        this.startupParameters = startupParameters;
        this.login = new LoginExchange(startupParameters.get("user"), password);
        this.connected = connected;
        this.loginTimeoutMillis = loginTimeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        loginTimer = ctx.executor().schedule(() -> fail(ctx, new PgClientException(PgClientException.UNABLE_TO_CONNECT,
                "login did not finish within " + loginTimeoutMillis + " ms")), loginTimeoutMillis, TimeUnit.MILLISECONDS);
        ctx.writeAndFlush(FrontendMessages.startupMessage(ctx.alloc(), startupParameters));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (failure != null) {
                return; // closing: anything still buffered is of no use
            }
            if (connected.isDone()) {
                client.requests().onMessage(Frames.type(frame), frame);
            } else {
                onLoginMessage(ctx, frame);
            }
        } catch (PgClientException e) {
            fail(ctx, e);
        } catch (RuntimeException e) {
            fail(ctx, new PgClientException(PgClientException.PROTOCOL, String.valueOf(e.getMessage()), e));
        } finally {
            frame.release();
        }
    }

    private void onLoginMessage(ChannelHandlerContext ctx, ByteBuf frame) {
        switch (Frames.type(frame)) {
            case BackendType.AUTHENTICATION:
                ByteBuf answer = login.answer(ctx.alloc(), Authentication.decode(frame));
                if (answer != null) {
                    ctx.writeAndFlush(answer);
                }
                break;
            case BackendType.PARAMETER_STATUS:
                ParameterStatus status = ParameterStatus.decode(frame);
                client.parameterChanged(status.name(), status.value());
                break;
            case BackendType.BACKEND_KEY_DATA:
                client.backendKey(BackendKeyData.decode(frame));
                break;
            case BackendType.ERROR_RESPONSE:
                fail(ctx, PgClientException.of(ErrorFields.decode(frame)));
                break;
            case BackendType.READY_FOR_QUERY:
                loginTimer.cancel(false);
                connected.complete(client);
                break;
            default:
                break; // NoticeResponse, NegotiateProtocolVersion: nothing to do
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new PgClientException(PgClientException.CONNECTION_FAILURE, String.valueOf(cause.getMessage()), cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        PgClientException cause = failure != null ? failure
                : new PgClientException(PgClientException.CONNECTION_FAILURE, "connection closed");
        connected.completeExceptionally(cause);
        client.requests().failAll(cause);
        ctx.fireChannelInactive();
    }

    /** Records the first failure and closes; channelInactive then reports it to whoever waits. */
    private void fail(ChannelHandlerContext ctx, PgClientException e) {
        if (failure == null) {
            failure = e;
        }
        ctx.close();
    }
}
