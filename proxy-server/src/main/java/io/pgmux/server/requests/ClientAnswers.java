// Where a client's request queue writes what the client is to receive.
package io.pgmux.server.requests;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.TransactionStatus;

/** The client side of a {@link RequestQueue}: its output, and what a ReadyForQuery made by pgmux reports. */
public interface ClientAnswers {
    /** Writes {@code message} to the client, after everything written before it; takes ownership. */
    void write(ByteBuf message);

    /** The transaction status a ReadyForQuery made by pgmux reports now: the held backend's, or idle without one. */
    TransactionStatus transactionStatus();
}
