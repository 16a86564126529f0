// The names at the start of an extended-protocol Bind ('B') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The portal and statement names of a Bind. Only these are parsed: the proxy routes on names and relays parameter
 * values untouched, so the rest of the body is not validated here (the server does that).
 */
public record BindHeader(String portalName, String statementName) {
    /** Reads the header of a whole 'B' frame without moving its indexes, retaining or releasing it. */
    public static BindHeader decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.BIND, "Bind");
        return new BindHeader(reader.readCString(), reader.readCString());
    }
}
