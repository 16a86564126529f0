// Netty decoder for the untyped startup-phase packets (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest).
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Decodes the startup phase: each packet is Int32 length (including itself) + Int32 code + body, emitted as one
 * {@link StartupPacket}.
 *
 * <p>Codes: {@value StartupCodes#SSL_REQUEST_CODE} SSLRequest and {@value StartupCodes#GSSENC_REQUEST_CODE}
 * GSSENCRequest (length must be 8), {@value StartupCodes#CANCEL_REQUEST_CODE} CancelRequest (length must be 16),
 * {@code 3 << 16 | minor} StartupMessage. The length must be 8..10000 and is validated as soon as its 4 bytes arrive,
 * before waiting for the body. A minor version above 0 is returned as is; the caller answers NegotiateProtocolVersion.
 *
 * <p>Any violation (bad length, other major version, unknown code, malformed parameter list) is thrown once as a
 * {@link ProtocolException} (Netty wraps it in a DecoderException); afterwards all input is discarded.
 *
 * <p>Not sharable. It emits at most one packet per decode call, so a handler that receives the StartupMessage can
 * replace this decoder with {@link MessageFrameDecoder} before the next bytes are looked at; ByteToMessageDecoder
 * then forwards the leftover bytes to the new decoder.
 *
 * <p>Hazard: that forwarding happens synchronously inside {@code pipeline().replace(...)}, so frames that arrived in
 * the same read as the StartupMessage travel down the pipeline (possibly re-entering the replacing handler) before
 * replace returns. Finish handling the StartupMessage (update state, forward it) before replacing the decoder.
 */
public final class StartupDecoder extends ByteToMessageDecoder {
    private static final int LENGTH_FIELD = 4;

    private boolean failed;

    public StartupDecoder() {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < LENGTH_FIELD) {
            return;
        }
        int start = in.readerIndex();
        int length = in.getInt(start);
        if (length < StartupCodes.MIN_STARTUP_PACKET_LENGTH || length > StartupCodes.MAX_STARTUP_PACKET_LENGTH) {
            throw fail(in, "invalid length of startup packet");
        }
        if (in.readableBytes() < length) {
            return;
        }
        StartupPacket packet;
        try {
            packet = parse(in, start, length);
        } catch (ProtocolException e) {
            throw fail(in, e);
        }
        in.skipBytes(length);
        out.add(packet);
    }

    private static StartupPacket parse(ByteBuf in, int start, int length) {
        int code = in.getInt(start + LENGTH_FIELD);
        switch (code) {
            case StartupCodes.SSL_REQUEST_CODE:
                requireLength(length, StartupCodes.MIN_STARTUP_PACKET_LENGTH, "SSL negotiation");
                return SslRequest.INSTANCE;
            case StartupCodes.GSSENC_REQUEST_CODE:
                requireLength(length, StartupCodes.MIN_STARTUP_PACKET_LENGTH, "GSSAPI negotiation");
                return GssEncRequest.INSTANCE;
            case StartupCodes.CANCEL_REQUEST_CODE:
                requireLength(length, StartupCodes.CANCEL_REQUEST_LENGTH, "query cancel");
                return new CancelRequest(in.getInt(start + 8), in.getInt(start + 12));
            default:
                if (code >>> 16 != 3) {
                    throw new ProtocolException("unsupported frontend protocol " + (code >>> 16) + "."
                            + (code & 0xFFFF) + ": server supports 3.0 to 3.0");
                }
                return StartupMessageParser.parse(code, in, start + 8, start + length);
        }
    }

    private static void requireLength(int length, int expected, String packetName) {
        if (length != expected) {
            throw new ProtocolException("invalid length of " + packetName + " packet");
        }
    }

    private ProtocolException fail(ByteBuf in, String message) {
        return fail(in, new ProtocolException(message));
    }

    /** Marks the stream unusable and drops the buffered input, so nothing after the violation is ever interpreted. */
    private ProtocolException fail(ByteBuf in, ProtocolException error) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return error;
    }

    /**
     * Bytes received but not yet decoded. After an SSLRequest this must be 0: anything the client sent before
     * the TLS handshake would otherwise be read as if it had come through TLS.
     */
    public int bufferedBytes() {
        return actualReadableBytes();
    }
}
