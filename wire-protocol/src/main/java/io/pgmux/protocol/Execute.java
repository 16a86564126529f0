// The extended-protocol Execute ('E') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** An Execute of portal {@code portalName}, returning at most {@code maxRows} rows (0 = no limit). */
public record Execute(String portalName, int maxRows) {
    /** Reads a whole 'E' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static Execute decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.EXECUTE, "Execute");
        Execute execute = new Execute(reader.readCString(), reader.readInt32());
        reader.expectEnd();
        return execute;
    }
}
