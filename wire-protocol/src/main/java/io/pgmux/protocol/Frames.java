// Accessors for the header of a framed typed message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Static helpers to look inside a frame produced by {@link MessageFrameDecoder} (type byte + Int32 length + body,
 * starting at the reader index) WITHOUT changing its reader or writer index. They read the header only, so they work
 * on the head of a streamed message too (see {@link #isPartial}), whose body ends before the length says.
 */
public final class Frames {
    /** Size of the type byte plus the Int32 length. */
    public static final int HEADER_LENGTH = 5;

    private Frames() {
    }

    /** The type byte. */
    public static byte type(ByteBuf frame) {
        return frame.getByte(frame.readerIndex());
    }

    /** The length field (which counts itself but not the type byte) minus 4. */
    public static int bodyLength(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + 1) - 4;
    }

    /** The absolute index of the first body byte. */
    public static int bodyStart(ByteBuf frame) {
        return frame.readerIndex() + HEADER_LENGTH;
    }

    /**
     * Whether {@code frame} is only the head of a message that the decoder streams: fewer bytes than its length field
     * announces, the rest following as {@link MessageContinuation}s. One comparison, for the relay path.
     */
    public static boolean isPartial(ByteBuf frame) {
        return frame.readableBytes() - 1 < frame.getInt(frame.readerIndex() + 1);
    }
}
