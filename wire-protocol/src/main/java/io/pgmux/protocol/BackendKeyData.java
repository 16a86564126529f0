// The BackendKeyData ('K') message: the key a client needs to cancel the session's queries.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A protocol 3.0 BackendKeyData. The secret key is a credential: {@link #toString()} omits it, do not log it.
 * (Protocol 3.2 allows longer keys; the proxy speaks 3.0 to servers, so the body must be exactly 8 bytes.)
 */
public record BackendKeyData(int processId, int secretKey) {
    /** Reads a whole 'K' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static BackendKeyData decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.BACKEND_KEY_DATA, "BackendKeyData");
        BackendKeyData keyData = new BackendKeyData(reader.readInt32(), reader.readInt32());
        reader.expectEnd();
        return keyData;
    }

    @Override
    public String toString() {
        return "BackendKeyData[processId=" + processId + "]";
    }
}
