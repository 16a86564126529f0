// Where a Bind or Describe names its prepared statement, and copies of those messages naming another one.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Finds the prepared-statement name inside a Bind or Describe frame without moving its indexes, and builds a copy of
 * the frame with another name in its place. Used to route a client's statement names to the names the proxy chose on
 * the server; every other byte of the message is relayed untouched. A Bind may be the head of a streamed message
 * ({@link Frames#isPartial}): its names are in the head, and only the head is copied, its length field adjusted.
 */
public final class StatementReference {

    private StatementReference() {
    }

    /** Index of the statement name in a Bind: right after the portal name. Malformed: ProtocolException. */
    public static int bindNameIndex(ByteBuf frame) {
        int start = Frames.bodyStart(frame);
        return start + cStringLength(frame, start, "Bind") + 1;
    }

    /** Index of the name in a Describe or Close: right after the kind byte. */
    public static int describeNameIndex(ByteBuf frame) {
        return Frames.bodyStart(frame) + 1;
    }

    /** Length in bytes of the NUL-terminated string at {@code index}, which must end inside the frame (or head). */
    public static int cStringLength(ByteBuf frame, int index, String message) {
        int end = end(frame);
        if (index >= end) {
            throw new ProtocolException("invalid " + message + " message format: truncated");
        }
        int length = frame.indexOf(index, end, (byte) 0) - index;
        if (length < 0) {
            throw new ProtocolException("invalid " + message + " message format: unterminated string");
        }
        return length;
    }

    /** The UTF-8 text of {@code length} bytes at {@code index}. */
    public static String text(ByteBuf frame, int index, int length) {
        return frame.toString(index, length, StandardCharsets.UTF_8);
    }

    /**
     * A new frame equal to {@code frame} except that the {@code oldLength} name bytes at {@code nameIndex} are
     * replaced by {@code newName} (ASCII or UTF-8, without NUL). The caller keeps ownership of {@code frame}. For the
     * head of a streamed message the copy is a head too: its length field counts the bytes still to come.
     */
    public static ByteBuf rename(ByteBufAllocator alloc, ByteBuf frame, int nameIndex, int oldLength, byte[] newName) {
        int start = frame.readerIndex();
        int end = end(frame);
        int newBodyLength = Frames.bodyLength(frame) - oldLength + newName.length;
        ByteBuf copy = alloc.buffer(end - start - oldLength + newName.length);
        copy.writeByte(frame.getByte(start));
        copy.writeInt(newBodyLength + 4);
        copy.writeBytes(frame, start + Frames.HEADER_LENGTH, nameIndex - start - Frames.HEADER_LENGTH);
        copy.writeBytes(newName);
        int after = nameIndex + oldLength;
        copy.writeBytes(frame, after, end - after);
        return copy;
    }

    /** Where the frame's bytes end: where its length field says, or earlier for the head of a streamed message. */
    private static int end(ByteBuf frame) {
        return (int) Math.min(frame.writerIndex(),
                (long) frame.readerIndex() + Frames.HEADER_LENGTH + Frames.bodyLength(frame));
    }
}
