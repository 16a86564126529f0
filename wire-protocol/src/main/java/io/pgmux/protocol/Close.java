// The extended-protocol Close ('C') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** A Close of a prepared statement ({@code kind} 'S') or portal ('P') named {@code name}. */
public record Close(byte kind, String name) {
    public static final byte STATEMENT = 'S';
    public static final byte PORTAL = 'P';

    /** Reads a whole 'C' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static Close decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.CLOSE, "Close");
        byte kind = reader.readByte();
        if (kind != STATEMENT && kind != PORTAL) {
            throw new ProtocolException("invalid CLOSE message subtype " + (kind & 0xFF));
        }
        String name = reader.readCString();
        reader.expectEnd();
        return new Close(kind, name);
    }
}
