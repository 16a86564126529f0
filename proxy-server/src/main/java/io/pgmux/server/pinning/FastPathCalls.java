package io.pgmux.server.pinning;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.ProtocolException;
import java.util.List;
import java.util.Set;

/**
 * The protocol's FunctionCall message calls a function by its OID, set_config (2078) as well as any other: it pins
 * like CALL, except for the large-object functions drivers call this way (pgjdbc's LargeObjectManager), whose
 * descriptors end with the transaction.
 */
final class FastPathCalls {
    /** lo_create, lo_import, lo_export, lo_open ... lo_truncate64, lo_from_bytea, lo_get, lo_put: fixed OIDs. */
    private static final Set<Integer> LARGE_OBJECT_FUNCTIONS = Set.of(715, 764, 765, 767, 952, 953, 954, 955, 956,
            957, 958, 964, 1004, 3170, 3171, 3172, 3457, 3458, 3459, 3460);

    private FastPathCalls() {
    }

    static List<StateChange> changes(ByteBuf frame) {
        if (Frames.bodyLength(frame) < 4) {
            throw new ProtocolException("invalid FunctionCall message: too short");
        }
        int function = frame.getInt(Frames.bodyStart(frame));
        return LARGE_OBJECT_FUNCTIONS.contains(function) ? List.of()
                : List.of(StateChange.pin(PinReason.PROCEDURE_CALL, "function " + Integer.toUnsignedString(function)));
    }
}
