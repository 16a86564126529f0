// The client-side figures of one pool (database, user): queries, transactions, bytes, errors, statement cache.
package io.pgmux.server.metrics;

import io.netty.buffer.ByteBuf;
import io.pgmux.pool.LatencyBuckets;
import io.pgmux.pool.PoolKey;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link SessionMetrics} of every client of one (database, user) pair, plus the number of those clients logged
 * in. Adders and fixed-bucket histograms only: recording takes no lock and allocates nothing (see
 * {@link LatencyBuckets} and {@link ErrorClassCounts} for the one-off allocations).
 */
public final class PoolMeters implements SessionMetrics {
    private final PoolKey key;
    final LatencyBuckets queryResponse = new LatencyBuckets();
    final LatencyBuckets queryDatabase = new LatencyBuckets();
    final LatencyBuckets transactions = new LatencyBuckets();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final ErrorClassCounts errors = new ErrorClassCounts();
    private final AtomicInteger clients = new AtomicInteger();
    /** Pins by reason tag: a handful of keys, each added at its first pin (rare events, not per message). */
    final java.util.concurrent.ConcurrentHashMap<String, LongAdder> pins = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger pinnedNow = new AtomicInteger();

    public PoolMeters(PoolKey key) {
        this.key = key;
    }

    public PoolKey key() {
        return key;
    }

    /** Clients of this pool logged in now (past authentication, not yet disconnected). */
    public int clients() {
        return clients.get();
    }

    /** Transactions completed since start. */
    public long transactionCount() {
        return transactions.snapshot().count();
    }

    /** Requests (queries) answered since start. */
    public long queryCount() {
        return queryResponse.snapshot().count();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public LatencyBuckets.Snapshot transactionLatency() {
        return transactions.snapshot();
    }

    public LatencyBuckets.Snapshot queryLatency() {
        return queryResponse.snapshot();
    }

    public LatencyBuckets.Snapshot queryDatabaseLatency() {
        return queryDatabase.snapshot();
    }

    public void clientJoined() {
        clients.incrementAndGet();
    }

    public void clientLeft() {
        clients.decrementAndGet();
    }

    @Override
    public void queryCompleted(long responseNanos, long databaseNanos) {
        queryResponse.record(responseNanos);
        queryDatabase.record(databaseNanos);
    }

    @Override
    public void transactionCompleted(long nanos) {
        transactions.record(nanos);
    }

    @Override
    public void errorSent(ByteBuf errorResponseFrame) {
        errors.record(errorResponseFrame);
    }

    @Override
    public void errorSent(String sqlState) {
        errors.record(sqlState);
    }

    @Override
    public void pinned(String reason) {
        pins.computeIfAbsent(reason, r -> new LongAdder()).increment();
        pinnedNow.incrementAndGet();
    }

    @Override
    public void unpinned() {
        pinnedNow.decrementAndGet();
    }

}
