// Shared machinery of the JDBC-based drivers: a bounded thread pool and outcome bookkeeping.
package io.pgmux.loadtest.driver;

import io.pgmux.loadtest.workload.TransactionSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDBC driver needs a thread per function in flight, so functions run on a fixed pool of {@code threads}; beyond
 * that they queue here, and the queueing is not counted in the connect latency (it is the load tool's limit, not
 * the target's).
 */
abstract class BlockingFunctionDriver implements FunctionDriver {
    protected final TransactionSpec transaction;
    private final ExecutorService executor;

    BlockingFunctionDriver(TransactionSpec transaction, int threads, String threadPrefix) {
        this.transaction = transaction;
        AtomicInteger counter = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, threadPrefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens or borrows the connection of one function; the caller closes it. */
    protected abstract Connection open() throws SQLException;

    /** Whether the function should hold its connection through the think time. */
    protected abstract boolean thinksWhileConnected();

    @Override
    public CompletableFuture<FunctionOutcome> run(String runId, long id) {
        try {
            return CompletableFuture.supplyAsync(() -> runBlocking(runId, id), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(FunctionOutcome.connectFailed(e));
        }
    }

    private FunctionOutcome runBlocking(String runId, long id) {
        long start = System.nanoTime();
        Connection connection;
        try {
            connection = open();
        } catch (SQLException | RuntimeException e) {
            return FunctionOutcome.connectFailed(e);
        }
        long connectNanos = System.nanoTime() - start;
        try (connection) {
            long txStart = System.nanoTime();
            JdbcTransaction.run(connection, transaction, runId, id);
            FunctionOutcome outcome = FunctionOutcome.success(connectNanos, System.nanoTime() - txStart);
            if (thinksWhileConnected() && transaction.thinkTimeMillis() > 0) {
                Thread.sleep(transaction.thinkTimeMillis());
            }
            return outcome;
        } catch (SQLException | RuntimeException e) {
            return FunctionOutcome.transactionFailed(connectNanos, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FunctionOutcome.transactionFailed(connectNanos, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
