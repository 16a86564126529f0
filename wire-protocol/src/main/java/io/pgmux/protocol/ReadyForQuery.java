// Reads the transaction status out of a ReadyForQuery ('Z') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** ReadyForQuery: the server finished a request cycle; its one-byte body is the {@link TransactionStatus}. */
public final class ReadyForQuery {
    private ReadyForQuery() {
    }

    /** The status of a whole 'Z' frame, without moving its indexes; malformed -> ProtocolException. */
    public static TransactionStatus status(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.READY_FOR_QUERY, "ReadyForQuery");
        byte code = reader.readByte();
        reader.expectEnd();
        return TransactionStatus.of(code);
    }
}
