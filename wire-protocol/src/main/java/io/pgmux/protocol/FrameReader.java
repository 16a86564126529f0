// A bounds-checked cursor over a message body that never moves the underlying buffer's indexes.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one message body with absolute gets, so the frame's reader and writer indexes stay untouched and
 * it can still be relayed unchanged. Every overrun, missing C-string terminator or leftover byte is a
 * {@link ProtocolException}, never an {@link IndexOutOfBoundsException}.
 *
 * <p>Not thread-safe; use one reader per decode call. It neither retains nor releases the buffer.
 */
public final class FrameReader {
    private final ByteBuf buf;
    private final int end;
    private final String messageName;
    private int position;

    private FrameReader(ByteBuf buf, int start, int end, String messageName) {
        this.buf = buf;
        this.position = start;
        this.end = end;
        this.messageName = messageName;
    }

    /**
     * A reader over the body of {@code frame} (type byte + Int32 length + body, starting at its reader index).
     * Checks that the type byte is {@code expectedType} and that the length field matches the readable bytes exactly.
     */
    public static FrameReader of(ByteBuf frame, byte expectedType, String messageName) {
        checkFrame(frame, messageName);
        byte type = Frames.type(frame);
        if (type != expectedType) {
            throw new ProtocolException("expected " + messageName + " message but got type " + (type & 0xFF));
        }
        return new FrameReader(frame, Frames.bodyStart(frame), frame.writerIndex(), messageName);
    }

    /** Like {@link #of(ByteBuf, byte, String)} for messages that share a layout under two type bytes. */
    public static FrameReader of(ByteBuf frame, byte expectedType, byte alternativeType, String messageName) {
        checkFrame(frame, messageName);
        byte type = Frames.type(frame);
        if (type != expectedType && type != alternativeType) {
            throw new ProtocolException("expected " + messageName + " message but got type " + (type & 0xFF));
        }
        return new FrameReader(frame, Frames.bodyStart(frame), frame.writerIndex(), messageName);
    }

    /** A reader over {@code buf[start, end)}, for bodies that are not typed frames (startup packets). */
    static FrameReader ofRange(ByteBuf buf, int start, int end, String messageName) {
        return new FrameReader(buf, start, end, messageName);
    }

    private static void checkFrame(ByteBuf frame, String messageName) {
        if (frame.readableBytes() < 5) {
            throw new ProtocolException("truncated " + messageName + " message");
        }
        if (frame.getInt(frame.readerIndex() + 1) != frame.readableBytes() - 1) {
            throw new ProtocolException("invalid length of " + messageName + " message");
        }
    }

    /** Bytes left in the body. */
    public int remaining() {
        return end - position;
    }

    public byte readByte() {
        require(1);
        return buf.getByte(position++);
    }

    /** An Int16 as unsigned (PostgreSQL reads counts with pq_getmsgint(msg, 2), which does not sign-extend). */
    public int readUnsignedInt16() {
        require(2);
        int value = buf.getUnsignedShort(position);
        position += 2;
        return value;
    }

    /** An Int16, sign-extended (format codes, attribute numbers). */
    public short readInt16() {
        require(2);
        short value = buf.getShort(position);
        position += 2;
        return value;
    }

    public int readInt32() {
        require(4);
        int value = buf.getInt(position);
        position += 4;
        return value;
    }

    /** A \0-terminated UTF-8 string; the terminator is consumed but not returned. */
    public String readCString() {
        int terminator = buf.indexOf(position, end, (byte) 0);
        if (terminator < 0) {
            throw new ProtocolException("invalid string in " + messageName + " message: missing terminator");
        }
        String value = buf.toString(position, terminator - position, StandardCharsets.UTF_8);
        position = terminator + 1;
        return value;
    }

    /** A copy of the next {@code length} bytes. */
    public byte[] readBytes(int length) {
        if (length < 0) {
            throw new ProtocolException("invalid length " + length + " in " + messageName + " message");
        }
        require(length);
        byte[] bytes = new byte[length];
        buf.getBytes(position, bytes);
        position += length;
        return bytes;
    }

    /** A copy of every byte left in the body. */
    public byte[] readRemaining() {
        return readBytes(remaining());
    }

    /** Fails unless the whole body has been read (PostgreSQL's pq_getmsgend). */
    public void expectEnd() {
        if (position != end) {
            throw new ProtocolException("invalid " + messageName + " message format: "
                    + (end - position) + " unexpected trailing bytes");
        }
    }

    private void require(int length) {
        if (end - position < length) {
            throw new ProtocolException("insufficient data left in " + messageName + " message");
        }
    }
}
