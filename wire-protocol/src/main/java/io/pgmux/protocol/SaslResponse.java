// Reads the payload of a SASLResponse ('p') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** A SASLResponse: the body is the mechanism-specific payload, with no framing of its own. */
public final class SaslResponse {
    private SaslResponse() {
    }

    /** A copy of the body of a whole 'p' frame, without moving its indexes. */
    public static byte[] data(ByteBuf frame) {
        return FrameReader.of(frame, FrontendType.PASSWORD_MESSAGE, "SASLResponse").readRemaining();
    }
}
