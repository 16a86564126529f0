// Which messages a frame decoder relays in pieces, and what the first piece of each must hold.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The message types that pgmux relays without reading their bodies, so a decoder may pass them on in pieces as they
 * arrive: from a client CopyData, FunctionCall and Bind (whose names, at its start, are all the proxy reads); from
 * a server DataRow, CopyData and FunctionCallResponse. Everything else is read by some part of the proxy (routing,
 * pinning, statement tracking, errors) or is small by nature, and is framed whole.
 */
enum StreamedTypes {
    /** Every message whole. */
    NONE,
    FRONTEND,
    BACKEND;

    /** The first piece holds what pgmux reads of the message: it may be emitted now. */
    static final int HEAD_READY = 1;
    /** The first piece must wait for more bytes. */
    static final int HEAD_WAIT = 0;
    /** What pgmux reads is not near the start: the message is framed whole like any parsed message. */
    static final int HEAD_NEVER = -1;
    /** How far into a Bind its portal and statement names are looked for (they are normally a few bytes long). */
    static final int BIND_NAMES_WINDOW = 8192;

    boolean includes(byte type) {
        return switch (this) {
            case NONE -> false;
            case FRONTEND -> type == FrontendType.COPY_DATA || type == FrontendType.BIND
                    || type == FrontendType.FUNCTION_CALL;
            case BACKEND -> type == BackendType.DATA_ROW || type == BackendType.COPY_DATA
                    || type == BackendType.FUNCTION_CALL_RESPONSE;
        };
    }

    /**
     * Whether the {@code readable} bytes from {@code start} (a whole header, less than the whole message) can be the
     * head of a streamed message of {@code type}: a Bind's head must hold its two names, which the statement router
     * renames; other heads need nothing beyond the header.
     */
    int headReadiness(byte type, ByteBuf in, int start, int readable) {
        if (this != FRONTEND || type != FrontendType.BIND) {
            return HEAD_READY;
        }
        int bodyStart = start + Frames.HEADER_LENGTH;
        int windowEnd = bodyStart + Math.min(readable - Frames.HEADER_LENGTH, BIND_NAMES_WINDOW);
        int portalEnd = in.indexOf(bodyStart, windowEnd, (byte) 0);
        if (portalEnd >= 0 && in.indexOf(portalEnd + 1, windowEnd, (byte) 0) >= 0) {
            return HEAD_READY;
        }
        return readable - Frames.HEADER_LENGTH < BIND_NAMES_WINDOW ? HEAD_WAIT : HEAD_NEVER;
    }
}
