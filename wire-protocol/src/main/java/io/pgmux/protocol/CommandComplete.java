// The CommandComplete ('C') message a server sends after each finished statement.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** A CommandComplete with its command tag, e.g. "SELECT 1", "BEGIN", "INSERT 0 3". */
public record CommandComplete(String tag) {
    /** Reads a whole 'C' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static CommandComplete decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.COMMAND_COMPLETE, "CommandComplete");
        CommandComplete complete = new CommandComplete(reader.readCString());
        reader.expectEnd();
        return complete;
    }
}
