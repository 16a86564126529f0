// PostgreSQL v3 messages over a blocking stream, for the warm-up's scripted backend and synthetic clients.
package io.pgmux.server.warmup;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few framing operations both ends of the warm-up need, on plain blocking streams. The warm-up exercises
 * pgmux's Netty code; its own two ends stay as small as possible, so they are written against {@code java.io}.
 * Messages are buffered until {@link #flush()}.
 */
final class WireStream {
    /** The type byte of a message read by {@link #read()}; the body is in {@link #body}. */
    char type;
    byte[] body = new byte[0];

    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(512);

    WireStream(InputStream in, OutputStream out) {
        this.in = new DataInputStream(new java.io.BufferedInputStream(in, 8192));
        this.out = out;
    }

    /** Reads the next typed message; false at the end of the stream. */
    boolean read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        type = (char) first;
        body = readBody();
        return true;
    }

    /** Reads an untyped message (a startup packet) into {@link #body}. */
    void readStartup() throws IOException {
        type = 0;
        body = readBody();
    }

    private byte[] readBody() throws IOException {
        int length = in.readInt();
        if (length < 4 || length > 1 << 20) {
            throw new IOException("unexpected message length " + length);
        }
        byte[] bytes = new byte[length - 4];
        in.readFully(bytes);
        return bytes;
    }

    /** Queues a message of {@code type} (0 for an untyped startup packet) with the given body. */
    void write(char type, byte[] body) {
        if (type != 0) {
            pending.write(type);
        }
        int length = body.length + 4;
        pending.write(length >>> 24);
        pending.write(length >>> 16);
        pending.write(length >>> 8);
        pending.write(length);
        pending.writeBytes(body);
    }

    /** Sends one byte at once, outside any message: the answer to an SSLRequest. */
    void flushByte(char answer) throws IOException {
        flush();
        out.write(answer);
        out.flush();
    }

    void flush() throws IOException {
        pending.writeTo(out);
        pending.reset();
        out.flush();
    }

    /** The signed 32-bit integer at {@code offset} of the current body. */
    int intAt(int offset) {
        return ((body[offset] & 0xff) << 24) | ((body[offset + 1] & 0xff) << 16) | ((body[offset + 2] & 0xff) << 8)
                | (body[offset + 3] & 0xff);
    }

    /** The NUL-terminated string at {@code offset} of the current body. */
    String stringAt(int offset) {
        int end = offset;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        return new String(body, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** The SQLSTATE and message of the current ErrorResponse body. */
    String errorText() {
        String code = "";
        String message = "";
        int offset = 0;
        while (offset < body.length && body[offset] != 0) {
            char field = (char) body[offset];
            String value = stringAt(offset + 1);
            if (field == 'C') {
                code = value;
            } else if (field == 'M') {
                message = value;
            }
            offset += 2 + value.getBytes(StandardCharsets.UTF_8).length;
        }
        return code + " " + message;
    }

    static void expectMore(boolean more) throws EOFException {
        if (!more) {
            throw new EOFException("the connection closed");
        }
    }

    /** Builds a message body. */
    static final class Body {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

        Body int32(int value) {
            bytes.write(value >>> 24);
            bytes.write(value >>> 16);
            bytes.write(value >>> 8);
            bytes.write(value);
            return this;
        }

        Body int16(int value) {
            bytes.write(value >>> 8);
            bytes.write(value);
            return this;
        }

        Body byte1(int value) {
            bytes.write(value);
            return this;
        }

        Body string(String text) {
            bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
            return this;
        }

        Body raw(byte[] data) {
            bytes.writeBytes(data);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
