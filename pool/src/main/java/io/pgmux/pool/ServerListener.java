// The callbacks through which the holder of a backend receives what PostgreSQL sends.
package io.pgmux.pool;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.MessageContinuation;

/**
 * Receives what a backend sends while one party (a client session, or the pool itself while it resets the
 * backend) holds it. Every call is made on the executor given to {@link ServerConnection#attach}, one at a time.
 */
public interface ServerListener {
    /**
     * A whole backend message, or the head of a streamed one ({@link io.pgmux.protocol.Frames#isPartial}); the
     * listener owns the frame and must release or forward it.
     */
    void onServerFrame(ServerConnection server, ByteBuf frame);

    /**
     * The next piece of the streamed message whose head was the last frame: the listener owns it, and must send it
     * where that head went (or release it if the head was dropped). Listeners that read nothing large drop it.
     */
    default void onServerContinuation(ServerConnection server, MessageContinuation rest) {
        rest.release();
    }

    /** The backend's socket has no more to read for now: the moment to flush what was forwarded. */
    default void onServerReadComplete(ServerConnection server) {
    }

    /** The backend's outbound buffer crossed a water mark: stop or resume reading from the other side. */
    default void onServerWritabilityChanged(ServerConnection server, boolean writable) {
    }

    /** The backend connection is gone; the listener must stop using it. */
    void onServerClosed(ServerConnection server, Throwable cause);
}
