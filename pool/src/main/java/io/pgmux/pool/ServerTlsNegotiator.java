// Asks a new backend connection for TLS (SSLRequest) before the login starts.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.StartupCodes;
import java.util.List;

/**
 * First handler of a backend connection when server TLS is not disabled. It holds back channelActive (which makes
 * {@link ServerLoginHandler} send the StartupMessage), sends SSLRequest and reads the one-byte answer: on {@code S}
 * it puts an SslHandler at the head and lets the login start once the handshake succeeded; on {@code N} it goes on
 * in plain text unless the mode requires TLS. Then it removes itself. Bytes the server sends right after {@code S},
 * before the handshake, are refused (they could have been injected by a man in the middle). Not sharable.
 */
final class ServerTlsNegotiator extends ByteToMessageDecoder {
    private final ServerTls tls;
    private final BackendTarget target;
    private boolean answered;

    ServerTlsNegotiator(ServerTls tls, BackendTarget target) {
        this.tls = tls;
        this.target = target;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ByteBuf request = ctx.alloc().buffer(8);
        request.writeInt(8).writeInt(StartupCodes.SSL_REQUEST_CODE);
        ctx.writeAndFlush(request);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (answered || !in.isReadable()) {
            return; // after 'S', bytes wait here (decrypted) until the handshake is done and this handler is gone
        }
        answered = true;
        byte answer = in.readByte();
        if (answer == 'S') {
            if (in.isReadable()) {
                throw failure("server sent unencrypted data after its SSL response");
            }
            SslHandler handler = tls.newHandler(ctx.alloc(), target.host(), target.port());
            handler.handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    ctx.fireChannelActive();
                    ctx.pipeline().remove(this);
                }
                // On failure the SslHandler reports the exception; ServerLoginHandler fails the login.
            });
            ctx.pipeline().addFirst("tls", handler);
        } else if (answer == 'N') {
            if (tls.mode().requiresTls()) {
                throw failure("server does not support SSL, but server_tls_sslmode is " + tls.mode().configName());
            }
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
        } else {
            throw failure("unexpected answer to SSLRequest from server: " + (char) answer);
        }
    }

    /** Worded for clients, like every {@link ServerFailures}: the target is in pgmux's log, not here. */
    private static PgException failure(String message) {
        return new PgException(Severity.FATAL, SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, message);
    }
}
