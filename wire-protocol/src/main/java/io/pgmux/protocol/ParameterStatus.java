// The ParameterStatus ('S') message a server sends when a reportable setting changes.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** A ParameterStatus: run-time parameter {@code name} now has {@code value}. */
public record ParameterStatus(String name, String value) {
    /** Reads a whole 'S' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static ParameterStatus decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.PARAMETER_STATUS, "ParameterStatus");
        ParameterStatus status = new ParameterStatus(reader.readCString(), reader.readCString());
        reader.expectEnd();
        return status;
    }
}
