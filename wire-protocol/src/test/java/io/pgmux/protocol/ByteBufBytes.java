// Test helper that copies buffer contents for comparisons.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Copies the readable bytes of a buffer without moving its indexes. */
final class ByteBufBytes {
    private ByteBufBytes() {
    }

    static byte[] copy(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** The readable bytes of {@code buf}, after which it is released (for encoder outputs a test owns). */
    static byte[] copyAndRelease(ByteBuf buf) {
        try {
            return copy(buf);
        } finally {
            buf.release();
        }
    }
}
