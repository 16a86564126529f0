// The SASLInitialResponse ('p') message: chosen mechanism and client-first payload.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A SASLInitialResponse: the mechanism the client chose and its initial response ({@code data} is null when the wire
 * length is -1). {@code data} is a mutable array owned by the record; toString omits it.
 */
public record SaslInitialResponse(String mechanism, byte[] data) {
    /** Reads a whole 'p' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static SaslInitialResponse decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.PASSWORD_MESSAGE, "SASLInitialResponse");
        String mechanism = reader.readCString();
        int length = reader.readInt32();
        byte[] data = length == -1 ? null : reader.readBytes(length);
        reader.expectEnd();
        return new SaslInitialResponse(mechanism, data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SaslInitialResponse
                && mechanism.equals(((SaslInitialResponse) other).mechanism)
                && Arrays.equals(data, ((SaslInitialResponse) other).data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mechanism, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "SaslInitialResponse[mechanism=" + mechanism + ", data="
                + (data == null ? "null" : data.length + " bytes") + "]";
    }
}
