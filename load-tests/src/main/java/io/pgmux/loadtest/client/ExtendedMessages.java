// Encoders for the extended-protocol messages the wire-protocol module does not build (Bind, Execute).
package io.pgmux.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.pgmux.protocol.FrontendType;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Bind and Execute in text format; each method returns a new buffer the caller owns. */
final class ExtendedMessages {
    private ExtendedMessages() {
    }

    /** Bind of the unnamed portal to {@code statement} with text parameters (null = SQL NULL) and text results. */
    static ByteBuf bind(ByteBufAllocator alloc, String statement, List<String> params) {
        ByteBuf buf = alloc.buffer();
        try {
            buf.writeByte(FrontendType.BIND);
            int lengthIndex = buf.writerIndex();
            buf.writeInt(0);
            writeCString(buf, "");
            writeCString(buf, statement);
            buf.writeShort(0); // no parameter format codes: all text
            buf.writeShort(params.size());
            for (String param : params) {
                if (param == null) {
                    buf.writeInt(-1);
                } else {
                    byte[] bytes = param.getBytes(StandardCharsets.UTF_8);
                    buf.writeInt(bytes.length).writeBytes(bytes);
                }
            }
            buf.writeShort(0); // no result format codes: all text
            buf.setInt(lengthIndex, buf.writerIndex() - lengthIndex);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** Execute of the unnamed portal with no row limit. */
    static ByteBuf execute(ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(10);
        buf.writeByte(FrontendType.EXECUTE).writeInt(9).writeByte(0).writeInt(0);
        return buf;
    }

    private static void writeCString(ByteBuf buf, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string contains a NUL character");
        }
        ByteBufUtil.writeUtf8(buf, value);
        buf.writeByte(0);
    }
}
