// The extended-protocol Describe ('D') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** A Describe of a prepared statement ({@code kind} 'S') or portal ('P') named {@code name}. */
public record Describe(byte kind, String name) {
    public static final byte STATEMENT = 'S';
    public static final byte PORTAL = 'P';

    /** Reads a whole 'D' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static Describe decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.DESCRIBE, "Describe");
        byte kind = reader.readByte();
        if (kind != STATEMENT && kind != PORTAL) {
            throw new ProtocolException("invalid DESCRIBE message subtype " + (kind & 0xFF));
        }
        String name = reader.readCString();
        reader.expectEnd();
        return new Describe(kind, name);
    }
}
