// Recognises PostgreSQL 17's direct TLS connections (sslnegotiation=direct), which start with a TLS ClientHello.
package io.pgmux.server.login;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of a client connection when TLS is enabled. If the first byte is a TLS handshake record (0x16)
 * rather than the start of a startup packet's length, the client skipped SSLRequest: TLS starts at once, and the
 * handshake must negotiate ALPN {@value ClientTls#ALPN_PROTOCOL} (as PostgreSQL 17 demands, so that a TLS
 * connection meant for another protocol is not misread). Either way this handler then removes itself; the bytes
 * it looked at go on to the next handler. Not sharable.
 */
final class DirectTlsDetector extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(DirectTlsDetector.class);
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final ClientTls tls;

    DirectTlsDetector(ClientTls tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        // A startup packet starts with its length, whose first byte is 0 for every valid length (< 16 MiB).
        if (in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD) {
            SslHandler handler = tls.newHandler(ctx.alloc());
            handler.handshakeFuture().addListener(done -> {
                if (done.isSuccess() && !ClientTls.ALPN_PROTOCOL.equals(handler.applicationProtocol())) {
                    log.info("{}: direct TLS connection without ALPN \"{}\", closing", ctx.channel(),
                            ClientTls.ALPN_PROTOCOL);
                    ctx.channel().close();
                }
            });
            ctx.pipeline().addAfter(ctx.name(), ClientTlsGate.TLS_HANDLER, handler);
        }
        ctx.pipeline().remove(this);
    }
}
