// The names at the start of an extended-protocol Bind ('B') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The portal and statement names of a Bind. Only these are parsed: the proxy routes on names and relays parameter
 * values untouched, so the rest of the body is not validated here (the server does that).
 */
public record BindHeader(String portalName, String statementName) {
    /**
     * Reads the names of a 'B' frame without moving its indexes, retaining or releasing it. The frame may be the
     * head of a streamed Bind ({@link Frames#isPartial}): the decoder passes a head on only once both names are in it.
     */
    public static BindHeader decode(ByteBuf frame) {
        if (frame.readableBytes() < Frames.HEADER_LENGTH) {
            throw new ProtocolException("truncated Bind message");
        }
        if (Frames.type(frame) != FrontendType.BIND) {
            throw new ProtocolException("expected Bind message but got type " + (Frames.type(frame) & 0xFF));
        }
        int portal = Frames.bodyStart(frame);
        int portalLength = StatementReference.cStringLength(frame, portal, "Bind");
        int statement = portal + portalLength + 1;
        int statementLength = StatementReference.cStringLength(frame, statement, "Bind");
        return new BindHeader(StatementReference.text(frame, portal, portalLength),
                StatementReference.text(frame, statement, statementLength));
    }
}
