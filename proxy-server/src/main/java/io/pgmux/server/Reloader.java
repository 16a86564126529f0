// Runs configuration reloads one at a time on a thread of their own.
package io.pgmux.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs RELOAD (admin console) and SIGHUP on one dedicated thread. A reload reads the YAML file and the TLS key and
 * certificate files, which may be slow (a network file system, a large CA bundle): done on an event loop, it would
 * stall every client of that loop. One thread also puts reloads in a row, so two of them never interleave their
 * swap-and-apply, without a lock that any I/O thread could wait on.
 */
final class Reloader implements AutoCloseable {
    /** The name of the reload thread (with a number after it); also what tests look for. */
    static final String THREAD_NAME = "pgmux-reload";

    private final Supplier<List<String>> reload;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory(THREAD_NAME, true));

    /** @param reload reads and applies the configuration, returning what changed; may throw */
    Reloader(Supplier<List<String>> reload) {
        this.reload = reload;
    }

    /**
     * Queues a reload. The future completes on the reload thread, with what changed, or failed with what the reload
     * threw ({@link io.pgmux.config.ConfigException} for an invalid configuration, nothing applied).
     */
    CompletableFuture<List<String>> submit() {
        try {
            return CompletableFuture.supplyAsync(reload, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("pgmux is stopping", e));
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
