// The NegotiateProtocolVersion ('v') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/** A NegotiateProtocolVersion: the newest minor version the server supports and the protocol options it ignored. */
public record NegotiateProtocolVersion(int newestMinorVersion, List<String> unrecognizedOptions) {
    public NegotiateProtocolVersion {
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }

    /** Reads a whole 'v' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static NegotiateProtocolVersion decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.NEGOTIATE_PROTOCOL_VERSION, "NegotiateProtocolVersion");
        int newestMinorVersion = reader.readInt32();
        int count = reader.readInt32();
        // Each option takes at least its terminator, which bounds the count before anything is allocated.
        if (count < 0 || count > reader.remaining()) {
            throw new ProtocolException("invalid NegotiateProtocolVersion option count " + count);
        }
        List<String> options = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            options.add(reader.readCString());
        }
        reader.expectEnd();
        return new NegotiateProtocolVersion(newestMinorVersion, options);
    }
}
