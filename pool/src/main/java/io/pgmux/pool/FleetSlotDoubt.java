// Whether a backend may have lost its fleet slot: a text that can release advisory locks was sent to it.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;

/**
 * A backend's fleet slot is a session advisory lock ({@link FleetBudgetConnector}), and PostgreSQL releases it when the
 * session runs {@code DISCARD ALL}, {@code pg_advisory_unlock_all()} or {@code pg_advisory_unlock(...)}. Such a text
 * cannot be told apart cheaply from a harmless one, so any Query or Parse naming either word puts the slot in doubt,
 * as does a streamed one whose text is not all here; the pool checks the slot when the backend is given back.
 * Only backends of a fleet budget pay for the look.
 */
final class FleetSlotDoubt {
    private static final byte[] ADVISORY = {'a', 'd', 'v', 'i', 's', 'o', 'r', 'y'};
    private static final byte[] DISCARD = {'d', 'i', 's', 'c', 'a', 'r', 'd'};

    private FleetSlotDoubt() {
    }

    /** Whether {@code frame}, about to be written to a backend holding a slot, may release the slot. */
    static boolean raisedBy(ByteBuf frame) {
        byte type = Frames.type(frame);
        if (type != FrontendType.QUERY && type != FrontendType.PARSE) {
            return false;
        }
        if (Frames.isPartial(frame)) {
            return true;
        }
        int from = Frames.bodyStart(frame);
        int to = from + Frames.bodyLength(frame);
        for (int i = from; i < to; i++) {
            byte b = (byte) (frame.getByte(i) | 0x20); // ASCII lower case; other bytes never match the first letter
            if (b == 'a' && matches(frame, i, to, ADVISORY) || b == 'd' && matches(frame, i, to, DISCARD)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(ByteBuf frame, int at, int to, byte[] word) {
        if (to - at < word.length) {
            return false;
        }
        for (int k = 1; k < word.length; k++) {
            if ((frame.getByte(at + k) | 0x20) != word[k]) {
                return false;
            }
        }
        return true;
    }
}
