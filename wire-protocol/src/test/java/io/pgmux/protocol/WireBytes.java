// Test helper that builds PostgreSQL wire bytes by hand, independently of the encoders under test.
package io.pgmux.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A tiny big-endian byte builder; {@link #typed} and {@link #untyped} add the message header around a body. */
final class WireBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static WireBytes body() {
        return new WireBytes();
    }

    WireBytes int8(int value) {
        out.write(value);
        return this;
    }

    WireBytes int16(int value) {
        return int8(value >>> 8).int8(value);
    }

    WireBytes int32(int value) {
        return int16(value >>> 16).int16(value);
    }

    /** UTF-8 text followed by its \0 terminator. */
    WireBytes cstring(String value) {
        return text(value).int8(0);
    }

    /** UTF-8 text without terminator. */
    WireBytes text(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    WireBytes bytes(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    byte[] toArray() {
        return out.toByteArray();
    }

    /** A typed message: type byte, Int32 length counting itself, this body. */
    byte[] typed(char type) {
        byte[] body = toArray();
        return new WireBytes().int8(type).int32(body.length + 4).bytes(body).toArray();
    }

    /** A startup-phase packet: Int32 length counting itself, then this body (which starts with the code). */
    byte[] untyped() {
        byte[] body = toArray();
        return new WireBytes().int32(body.length + 4).bytes(body).toArray();
    }

    /** The concatenation of several messages. */
    static byte[] concat(byte[]... parts) {
        WireBytes all = new WireBytes();
        for (byte[] part : parts) {
            all.bytes(part);
        }
        return all.toArray();
    }
}
