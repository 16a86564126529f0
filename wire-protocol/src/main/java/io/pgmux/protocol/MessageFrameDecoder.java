// Netty decoder that frames typed PostgreSQL messages as zero-copy retained slices, streaming the large ones.
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
 * <p>A streaming decoder ({@link #loggedInFrontend}, {@link #streamingBackend}) bounds what one connection makes
 * pgmux hold. The types pgmux relays unread ({@link StreamedTypes}) are passed on as they arrive once they are longer
 * than {@link #STREAM_ABOVE}: first the head (the header and whatever body bytes are there, an ordinary frame for
 * which {@link Frames#isPartial} is true), then {@link MessageContinuation}s up to the announced length. Every other
 * message is framed whole, and may be at most {@code maxParsedLength} long: from a client, a longer one has its bytes
 * discarded as they arrive and is then replaced by an {@link OversizedMessage}; from a server, it is a protocol
 * violation.
 * Whole messages above {@link #GATHER_ABOVE} are gathered into a buffer of their own that doubles as bytes arrive (up
 * to their exact size, never reserved from the header alone) rather than into the cumulation, which grows by 4 MiB
 * steps beyond 4 MiB, copying all of it each time. The decoders of {@link #frontend} and {@link #backend} frame every
 * message whole.
 *
 * <p>Validates, from the 5-byte header and before waiting for the body: length >= 4 and length <= maxMessageLength;
 * for the frontend direction also that the type byte is a known {@link FrontendType} (checked on the first byte) and
 * that a message which carries at most a name is no longer than PostgreSQL allows ({@link FrontendType#maxLength}). On a
 * violation it throws a {@link ProtocolException} once (wrapped by Netty in a DecoderException) and discards all input
 * from then on; the connection must be closed.
 *
 * <p>Not sharable: create one per channel and direction. A streaming decoder must not be replaced in the pipeline
 * while a message is half through (pgmux replaces only the login decoders, which stream nothing).
 */
public final class MessageFrameDecoder extends ByteToMessageDecoder {
    /** 1 GiB, PostgreSQL's own limit on a message. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1 << 30;
    /** Streamed types up to this length are waited for whole: one piece is cheaper than several. */
    public static final int STREAM_ABOVE = 64 * 1024;
    /** Whole messages longer than this are gathered into a buffer of their own as they arrive. */
    public static final int GATHER_ABOVE = 1024 * 1024;

    private final boolean frontend;
    /** After the login the client's 'p' can only be garbage: PostgreSQL answers it as an invalid message type. */
    private final boolean passwordMessageInvalid;
    private final int maxMessageLength;
    private final int maxParsedLength;
    private final StreamedTypes streamed;
    private final int streamAbove;
    private final int gatherAbove;
    /** Bytes of the current message not yet passed on (or discarded); 0 between messages. */
    private long rest;
    /** The message whose rest is being discarded, reported once it is all read; null when none is. */
    private OversizedMessage discarding;
    /** A whole message being gathered, or null. */
    private ByteBuf gathering;
    /** The size of the message being gathered: type byte, length and body. */
    private int gatheringSize;
    private boolean failed;

    MessageFrameDecoder(boolean frontend, int maxMessageLength, int maxParsedLength, StreamedTypes streamed,
                        int streamAbove, int gatherAbove) {
        this(frontend, false, maxMessageLength, maxParsedLength, streamed, streamAbove, gatherAbove);
    }

    private MessageFrameDecoder(boolean frontend, boolean passwordMessageInvalid, int maxMessageLength,
                                int maxParsedLength, StreamedTypes streamed, int streamAbove, int gatherAbove) {
        if (maxMessageLength < 4) {
            throw new IllegalArgumentException("maxMessageLength must be at least 4: " + maxMessageLength);
        }
        if (maxParsedLength < 4 || maxParsedLength > maxMessageLength) {
            throw new IllegalArgumentException("maxParsedLength must be 4.." + maxMessageLength + ": " + maxParsedLength);
        }
        this.frontend = frontend;
        this.passwordMessageInvalid = passwordMessageInvalid;
        this.maxMessageLength = maxMessageLength;
        this.maxParsedLength = maxParsedLength;
        this.streamed = streamed;
        this.streamAbove = streamAbove;
        this.gatherAbove = gatherAbove;
    }

    /** A decoder for messages from a client, each whole; rejects type bytes that are not a {@link FrontendType}. */
    public static MessageFrameDecoder frontend(int maxMessageLength) {
        return new MessageFrameDecoder(true, maxMessageLength, maxMessageLength, StreamedTypes.NONE, 0, GATHER_ABOVE);
    }

    /** A decoder for messages from a server, each whole; any type byte is accepted so unknown ones can be relayed. */
    public static MessageFrameDecoder backend(int maxMessageLength) {
        return new MessageFrameDecoder(false, maxMessageLength, maxMessageLength, StreamedTypes.NONE, 0, GATHER_ABOVE);
    }

    /**
     * A decoder for messages from a client that has logged in: streams large CopyData, Bind and FunctionCall
     * messages, and rejects {@link FrontendType#PASSWORD_MESSAGE}, which only authentication uses.
     */
    public static MessageFrameDecoder loggedInFrontend(int maxMessageLength, int maxParsedLength) {
        return new MessageFrameDecoder(true, true, maxMessageLength, maxParsedLength, StreamedTypes.FRONTEND,
                STREAM_ABOVE, GATHER_ABOVE);
    }

    /** Like {@link #backend(int)}, streaming large DataRow, CopyData and FunctionCallResponse messages. */
    public static MessageFrameDecoder streamingBackend(int maxMessageLength, int maxParsedLength) {
        return new MessageFrameDecoder(false, maxMessageLength, maxParsedLength, StreamedTypes.BACKEND, STREAM_ABOVE,
                GATHER_ABOVE);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
        } else if (rest > 0) {
            passRest(in, out);
        } else if (gathering != null) {
            gather(ctx, in, out);
        } else if (in.isReadable()) {
            decodeHeader(ctx, in, out);
        }
    }

    private void decodeHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        byte type = in.getByte(start);
        if (frontend && (!FrontendType.isKnown(type)
                || passwordMessageInvalid && type == FrontendType.PASSWORD_MESSAGE)) {
            throw fail(in, "invalid frontend message type " + (type & 0xFF));
        }
        int readable = in.readableBytes();
        if (readable < Frames.HEADER_LENGTH) {
            return;
        }
        int length = in.getInt(start + 1);
        if (length < 4 || length > maxMessageLength || frontend && length > FrontendType.maxLength(type)) {
            throw fail(in, "invalid message length " + length + " for " + typeName(type) + " message");
        }
        // Compared as "readable - 1 >= length" because 1 + length can overflow for lengths near Integer.MAX_VALUE.
        boolean whole = readable - 1 >= length;
        if (streamed.includes(type)) {
            if (whole) {
                out.add(in.readRetainedSlice(1 + length));
                return;
            }
            if (length <= streamAbove) {
                return; // short enough to wait for
            }
            int head = streamed.headReadiness(type, in, start, readable);
            if (head == StreamedTypes.HEAD_READY) {
                rest = 1L + length - readable;
                out.add(in.readRetainedSlice(readable));
                return;
            }
            if (head == StreamedTypes.HEAD_WAIT) {
                return;
            }
        }
        if (length > maxParsedLength) {
            refuse(in, type, length, out);
        } else if (whole) {
            out.add(in.readRetainedSlice(1 + length));
        } else if (length > gatherAbove) {
            gatheringSize = 1 + length;
            int capacity = (int) Math.min(gatheringSize, Math.max(2L * readable, STREAM_ABOVE));
            gathering = ctx.alloc().buffer(capacity, capacity);
            gather(ctx, in, out);
        }
    }

    /** Passes on (or discards) what has arrived of the current message's rest. */
    private void passRest(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), rest);
        if (n == 0) {
            return;
        }
        rest -= n;
        if (discarding != null) {
            in.skipBytes(n);
            if (rest == 0) {
                out.add(discarding);
                discarding = null;
            }
        } else {
            out.add(new MessageContinuation(in.readRetainedSlice(n), rest == 0));
        }
    }

    /**
     * Copies what has arrived of a whole message into its own buffer, doubling the buffer as needed: at most twice
     * what has arrived is reserved, and each byte is copied about twice in all.
     */
    private void gather(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), gatheringSize - gathering.writerIndex());
        if (gathering.writableBytes() < n) {
            int capacity = (int) Math.min(gatheringSize,
                    Math.max(2L * gathering.capacity(), (long) gathering.writerIndex() + n));
            ByteBuf larger = ctx.alloc().buffer(capacity, capacity);
            larger.writeBytes(gathering);
            gathering.release();
            gathering = larger;
        }
        in.readBytes(gathering, n);
        if (gathering.writerIndex() == gatheringSize) {
            out.add(gathering);
            gathering = null;
        }
    }

    /**
     * A message too long to read whole: a client is told (and may go on), a server has broken the protocol. The client
     * is told only once its whole message is read, as PostgreSQL does: the answer then follows what the client sent,
     * and a connection that the answer ends is not closed under a client still writing (which would reset it and
     * lose the answer).
     */
    private void refuse(ByteBuf in, byte type, int length, List<Object> out) {
        if (!frontend) {
            throw fail(in, typeName(type) + " message of " + length + " bytes exceeds the limit of " + maxParsedLength
                    + " bytes for messages read whole");
        }
        OversizedMessage refused = new OversizedMessage(type, length, maxParsedLength);
        int n = (int) Math.min(in.readableBytes(), 1L + length);
        in.skipBytes(n);
        rest = 1L + length - n;
        if (rest == 0) {
            out.add(refused);
        } else {
            discarding = refused;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (gathering != null) {
            gathering.release();
            gathering = null;
        }
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
