// A further piece of a large message that the frame decoder relays as it arrives instead of holding it whole.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A piece of a message that {@link MessageFrameDecoder} streams: the message's head (type byte, length and the first
 * body bytes that had arrived) came earlier as an ordinary frame, whose readable bytes are fewer than its length
 * field announces ({@link Frames#isPartial}); pieces like this one follow, in order and with nothing in between,
 * until the one that {@link #isLast() ends} the message. A stream cut off by a closed connection has no last piece.
 *
 * <p>Whoever received the head owns each piece and must send its {@link #content()} where the head went, or release
 * it when the head was dropped: anything else corrupts the stream of the side it is written to.
 */
public final class MessageContinuation extends DefaultByteBufHolder {
    private final boolean last;

    public MessageContinuation(ByteBuf content, boolean last) {
        super(content);
        this.last = last;
    }

    /** Whether this piece ends the message. */
    public boolean isLast() {
        return last;
    }

    @Override
    public String toString() {
        return "MessageContinuation(" + content().readableBytes() + " bytes" + (last ? ", last)" : ")");
    }
}
