// Low-level helpers shared by the message encoders: framing, C-strings, and release on failure.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.function.Consumer;

/** Builds messages by writing a placeholder length and patching it at the end. */
final class MessageWriter {
    /** Marks "no type byte" for the untyped startup-phase packets. */
    static final int UNTYPED = -1;

    private MessageWriter() {
    }

    /**
     * A new buffer holding one message: {@code type} (unless {@link #UNTYPED}), the Int32 length, then what
     * {@code body} writes. If {@code body} throws, the buffer is released before the exception propagates.
     */
    static ByteBuf build(ByteBufAllocator alloc, int type, Consumer<ByteBuf> body) {
        ByteBuf buf = alloc.buffer();
        try {
            append(buf, type, body);
            return buf;
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    /** Appends one message to {@code buf}: {@code type} (unless {@link #UNTYPED}), the Int32 length, the body. */
    static void append(ByteBuf buf, int type, Consumer<ByteBuf> body) {
        if (type != UNTYPED) {
            buf.writeByte(type);
        }
        int lengthIndex = buf.writerIndex();
        buf.writeInt(0);
        body.accept(buf);
        buf.setInt(lengthIndex, buf.writerIndex() - lengthIndex);
    }

    /** Writes UTF-8 text and its \0 terminator; an embedded \0 would end the string early, so it is rejected. */
    static void writeCString(ByteBuf buf, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string contains a NUL character");
        }
        ByteBufUtil.writeUtf8(buf, value);
        buf.writeByte(0);
    }

    /** A shared, unreleasable, read-only constant message; callers get a {@code duplicate()} each. */
    static ByteBuf constant(byte... bytes) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
    }

    /** The bytes of a fixed typed message whose body is {@code body}, each value taken as one byte. */
    static byte[] fixed(byte type, int... body) {
        byte[] bytes = new byte[5 + body.length];
        bytes[0] = type;
        int length = 4 + body.length;
        bytes[1] = (byte) (length >>> 24);
        bytes[2] = (byte) (length >>> 16);
        bytes[3] = (byte) (length >>> 8);
        bytes[4] = (byte) length;
        for (int i = 0; i < body.length; i++) {
            bytes[5 + i] = (byte) body[i];
        }
        return bytes;
    }
}
