// Monotonic counters of one pool's waits, exhaustion and backend churn, cheap enough for the hot path.
package io.pgmux.pool;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link Pool} since it was created. Every counter only grows; readers (metrics, tests) compute rates
 * and averages from differences. Updates are {@link LongAdder}s, so the event loops never contend on a lock or a
 * single cache line for them.
 *
 * <p>Hazard: the getters are read one by one, not as a snapshot; while the pool is busy two of them may disagree by
 * an event in flight (e.g. {@link #waits()} already counted a wait that {@link #completedWaits()} has not yet).
 */
public final class PoolCounters {
    private final LongAdder exhaustionEvents = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder completedWaits = new LongAdder();
    private final LongAdder waitNanosTotal = new LongAdder();
    private final LongAccumulator waitNanosMax = new LongAccumulator(Math::max, 0);
    private final LongAdder waitTimeouts = new LongAdder();
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder connectAttempts = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder serversClosed = new LongAdder();
    private final LatencyBuckets waitLatency = new LatencyBuckets();
    private final LatencyBuckets connectLatency = new LatencyBuckets();
    private final LatencyBuckets acquireLatency = new LatencyBuckets();

    PoolCounters() {
    }

    /** Clients that had to wait because the pool could not open another backend (size or shared limit reached). */
    public long exhaustionEvents() {
        return exhaustionEvents.sum();
    }

    /** Acquisitions that had to queue, whatever the reason (pool exhausted, or a backend still logging in). */
    public long waits() {
        return waits.sum();
    }

    /** Queued acquisitions that have ended: served, timed out, cancelled or failed. */
    public long completedWaits() {
        return completedWaits.sum();
    }

    /** Total time the {@link #completedWaits()} spent queued, in nanoseconds. */
    public long waitNanosTotal() {
        return waitNanosTotal.sum();
    }

    /** The longest single completed wait, in nanoseconds; 0 before the first. */
    public long waitNanosMax() {
        return waitNanosMax.get();
    }

    /** Waits that ended with query_wait_timeout. */
    public long waitTimeouts() {
        return waitTimeouts.sum();
    }

    /** Clients refused at once because max_waiting_clients were waiting already. */
    public long queueFullRefusals() {
        return queueFull.sum();
    }

    /** Backend connections the pool started to open. */
    public long connectAttempts() {
        return connectAttempts.sum();
    }

    /** Of {@link #connectAttempts()}, those that failed to connect or log in. */
    public long connectFailures() {
        return connectFailures.sum();
    }

    /** Logged-in backends that left the pool: closed by the pool, by PostgreSQL, or discarded. */
    public long serversClosed() {
        return serversClosed.sum();
    }

    /** How long completed waits lasted (borrow latency of the clients that had to queue). */
    public LatencyBuckets waitLatency() {
        return waitLatency;
    }

    /**
     * Borrow latency of every successful acquisition, served at once or after queueing: the figure RDS Proxy calls
     * DatabaseConnectionsBorrowLatency. Its count is the number of times a backend was lent to a client.
     */
    public LatencyBuckets acquireLatency() {
        return acquireLatency;
    }

    /** How long successful backend connects took, from the start of the connect to the first ReadyForQuery. */
    public LatencyBuckets connectLatency() {
        return connectLatency;
    }

    void waitStarted(boolean exhausted) {
        waits.increment();
        if (exhausted) {
            exhaustionEvents.increment();
        }
    }

    void acquired(long nanos) {
        acquireLatency.record(nanos);
    }

    void waitEnded(long nanos, boolean served) {
        if (served) {
            acquireLatency.record(nanos);
        }
        completedWaits.increment();
        waitNanosTotal.add(nanos);
        waitNanosMax.accumulate(nanos);
        waitLatency.record(nanos);
    }

    void connected(long nanos) {
        connectLatency.record(nanos);
    }

    void waitTimedOut() {
        waitTimeouts.increment();
    }

    void queueFull() {
        queueFull.increment();
    }

    void connectAttempted() {
        connectAttempts.increment();
    }

    void connectFailed() {
        connectFailures.increment();
    }

    void serverClosed() {
        serversClosed.increment();
    }
}
