// Netty decoder that frames typed PostgreSQL messages as zero-copy retained slices.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Frames typed messages (Byte1 type, Int32 length including itself, body) for either direction.
 *
 * <p>Emits each message as ONE retained slice of the inbound buffer spanning type byte + length + body (zero copy), so
 * it can be relayed unchanged. <b>The receiver owns each emitted ByteBuf and must release it</b> (writing it to a
 * channel does that). Holding a frame pins the whole inbound buffer it was sliced from.
 *
 * <p>Validates, from the 5-byte header and before waiting for the body: length >= 4 and length <= maxMessageLength;
 * for the frontend direction also that the type byte is a known {@link FrontendType} (checked on the first byte). On a
 * violation it throws a {@link ProtocolException} once (wrapped by Netty in a DecoderException) and discards all input
 * from then on; the connection must be closed.
 *
 * <p>Not sharable: create one per channel and direction.
 */
public final class MessageFrameDecoder extends ByteToMessageDecoder {
    /** 1 GiB, PostgreSQL's own limit on a message. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 30;

    private final boolean frontend;
    /** After the login the client's 'p' can only be garbage: PostgreSQL answers it as an invalid message type. */
    private final boolean passwordMessageInvalid;
    private final int maxMessageLength;
    private boolean failed;

    private MessageFrameDecoder(boolean frontend, boolean passwordMessageInvalid, int maxMessageLength) {
        if (maxMessageLength < 4) {
            throw new IllegalArgumentException("maxMessageLength must be at least 4: " + maxMessageLength);
        }
        this.frontend = frontend;
        this.passwordMessageInvalid = passwordMessageInvalid;
        this.maxMessageLength = maxMessageLength;
    }

    /** A decoder for messages from a client; rejects type bytes that are not a {@link FrontendType}. */
    public static MessageFrameDecoder frontend(int maxMessageLength) {
        return new MessageFrameDecoder(true, false, maxMessageLength);
    }

    /**
     * A decoder for messages from a client that has logged in: as {@link #frontend}, and also rejects
     * {@link FrontendType#PASSWORD_MESSAGE}, which only authentication uses.
     */
    public static MessageFrameDecoder loggedInFrontend(int maxMessageLength) {
        return new MessageFrameDecoder(true, true, maxMessageLength);
    }

    /** A decoder for messages from a server; any type byte is accepted so unknown messages can be relayed. */
    public static MessageFrameDecoder backend(int maxMessageLength) {
        return new MessageFrameDecoder(false, false, maxMessageLength);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        byte type = in.getByte(start);
        if (frontend && (!FrontendType.isKnown(type)
                || passwordMessageInvalid && type == FrontendType.PASSWORD_MESSAGE)) {
            throw fail(in, "invalid frontend message type " + (type & 0xFF));
        }
        if (in.readableBytes() < Frames.HEADER_LENGTH) {
            return;
        }
        int length = in.getInt(start + 1);
        if (length < 4 || length > maxMessageLength) {
            throw fail(in, "invalid message length " + length + " for " + typeName(type) + " message");
        }
        // Compared as "readable - 1 < length" because 1 + length can overflow for lengths near Integer.MAX_VALUE.
        if (in.readableBytes() - 1 < length) {
            return;
        }
        out.add(in.readRetainedSlice(1 + length));
    }

    private String typeName(byte type) {
        return frontend ? FrontendType.name(type) : BackendType.name(type);
    }

    /** Marks the stream unusable and drops the buffered input, so nothing after the violation is ever interpreted. */
    private ProtocolException fail(ByteBuf in, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new ProtocolException(message);
    }
}
