// The client side of a run: how one virtual function connects, runs its transaction and leaves.
package io.pgmux.loadtest.driver;

import java.util.concurrent.CompletableFuture;

/**
 * Runs virtual functions against one target with one client kind. {@link #run} must not block the caller and its
 * future must always complete normally (failures are reported in the outcome), within the credentials' timeouts.
 */
public interface FunctionDriver extends AutoCloseable {
    /** Short name for reports, e.g. {@code netty} or {@code jdbc}. */
    String clientName();

    /** Starts function {@code id}; {@code runId} tags the rows a writing transaction inserts. */
    CompletableFuture<FunctionOutcome> run(String runId, long id);

    /** Releases threads, pools and event loops; outstanding functions fail. */
    @Override
    void close();
}
