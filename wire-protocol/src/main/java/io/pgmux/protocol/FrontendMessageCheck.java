// Says whether a client message after login is laid out as the protocol requires, before anything acts on it.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Checks the layout of a whole client message of the extended or simple query protocol, the way PostgreSQL's
 * {@code pq_getmsg*} functions would while reading it: every string NUL-terminated inside the message, every count
 * non-negative and followed by that many items, and no byte left over. A message that passes can be decoded by
 * every reader in pgmux without an exception; one that fails is a protocol violation (08P01), and the connection is
 * closed.
 *
 * <p>Checking once, where a message enters, keeps the rule "a malformed message gets 08P01, a close, and its
 * buffer released" in one place instead of in every decoder and every path a message can take. Reads the bytes in
 * place and allocates nothing unless the message is malformed.
 */
public final class FrontendMessageCheck {
    private FrontendMessageCheck() {
    }

    /**
     * Checks {@code frame} (type byte, Int32 length, body) without moving its indexes.
     *
     * @throws ProtocolException describing the first defect found
     */
    public static void check(ByteBuf frame) {
        byte type = Frames.type(frame);
        int at = Frames.bodyStart(frame);
        if (Frames.isPartial(frame)) {
            checkHead(frame, type, at);
            return;
        }
        int end = at + Frames.bodyLength(frame);
        switch (type) {
            case FrontendType.QUERY, FrontendType.COPY_FAIL -> at = string(frame, type, at, end);
            case FrontendType.PARSE -> {
                at = string(frame, type, string(frame, type, at, end), end);
                at = skip(frame, type, at + 2, end, count(frame, type, at, end), 4);
            }
            case FrontendType.BIND -> {
                at = string(frame, type, string(frame, type, at, end), end);
                at = skip(frame, type, at + 2, end, count(frame, type, at, end), 2);
                int parameters = count(frame, type, at, end);
                at += 2;
                for (int i = 0; i < parameters; i++) {
                    at = value(frame, type, at, end);
                }
                at = skip(frame, type, at + 2, end, count(frame, type, at, end), 2);
            }
            case FrontendType.DESCRIBE, FrontendType.CLOSE -> at = string(frame, type, kind(frame, type, at, end), end);
            case FrontendType.EXECUTE -> at = skip(frame, type, string(frame, type, at, end), end, 1, 4);
            case FrontendType.FUNCTION_CALL -> {
                at = skip(frame, type, at, end, 1, 4);
                at = skip(frame, type, at + 2, end, count(frame, type, at, end), 2);
                int arguments = count(frame, type, at, end);
                at += 2;
                for (int i = 0; i < arguments; i++) {
                    at = value(frame, type, at, end);
                }
                at = skip(frame, type, at, end, 1, 2);
            }
            case FrontendType.SYNC, FrontendType.FLUSH, FrontendType.TERMINATE, FrontendType.COPY_DONE -> {
            }
            case FrontendType.COPY_DATA -> {
                return; // any bytes at all
            }
            default -> throw new ProtocolException("invalid frontend message type " + (type & 0xFF));
        }
        if (at != end) {
            throw invalid(type, "invalid message format");
        }
    }

    /**
     * The head of a message the decoder streams (see {@link MessageFrameDecoder}): only its first bytes are here.
     * What pgmux reads of it, a Bind's portal and statement names, must be whole in the head; the rest streams to
     * the backend, which checks it as it reads it and ends its connection with 08P01 should it be malformed.
     */
    private static void checkHead(ByteBuf frame, byte type, int at) {
        int end = frame.writerIndex();
        switch (type) {
            case FrontendType.BIND -> string(frame, type, string(frame, type, at, end), end);
            case FrontendType.FUNCTION_CALL, FrontendType.COPY_DATA -> {
            }
            default -> throw new ProtocolException("incomplete " + FrontendType.name(type) + " message");
        }
    }

    // Each reader below takes the position of what it reads and returns the position after it.

    private static int string(ByteBuf frame, byte type, int at, int end) {
        int nul = at < end ? frame.indexOf(at, end, (byte) 0) : -1;
        if (nul < 0) {
            throw invalid(type, "invalid string in message");
        }
        return nul + 1;
    }

    /** A Describe or Close target: 'S' (statement) or 'P' (portal). */
    private static int kind(ByteBuf frame, byte type, int at, int end) {
        need(type, at, end, 1);
        byte kind = frame.getByte(at);
        if (kind != 'S' && kind != 'P') {
            throw invalid(type, "invalid " + FrontendType.name(type) + " message subtype " + (kind & 0xFF));
        }
        return at + 1;
    }

    /** The Int16 count at {@code at} (which the caller steps over), non-negative as PostgreSQL reads it. */
    private static int count(ByteBuf frame, byte type, int at, int end) {
        need(type, at, end, 2);
        int count = frame.getShort(at);
        if (count < 0) {
            throw invalid(type, "invalid count in message");
        }
        return count;
    }

    /** An Int32 length (-1 for NULL) and that many bytes. */
    private static int value(ByteBuf frame, byte type, int at, int end) {
        need(type, at, end, 4);
        int length = frame.getInt(at);
        if (length < -1) {
            throw invalid(type, "invalid argument length in message");
        }
        at += 4;
        int size = Math.max(length, 0);
        need(type, at, end, size);
        return at + size;
    }

    private static int skip(ByteBuf frame, byte type, int at, int end, int items, int size) {
        need(type, at, end, (long) items * size);
        return at + items * size;
    }

    private static void need(byte type, int at, int end, long bytes) {
        if (end - at < bytes) {
            throw invalid(type, "insufficient data left in message");
        }
    }

    private static ProtocolException invalid(byte type, String what) {
        return new ProtocolException(what + " (" + FrontendType.name(type) + ")");
    }
}
