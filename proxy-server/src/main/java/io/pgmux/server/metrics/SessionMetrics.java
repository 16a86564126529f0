// What a client session reports to the metrics: transactions, queries and errors.
package io.pgmux.server.metrics;

import io.netty.buffer.ByteBuf;

/**
 * The figures a client session records on its data path, for the pool (database, user) it belongs to. Every method
 * is safe to call from any event loop, takes no lock and allocates nothing, so it may run once per message.
 * {@link #NOOP} records nothing; callers hold one of these and never check for null.
 *
 * <p>Durations are in nanoseconds from {@link System#nanoTime()}; the caller measures, the implementation only
 * counts.
 */
public interface SessionMetrics {

    /** Records nothing: for sessions that are not tracked (and for tests). */
    SessionMetrics NOOP = new SessionMetrics() {
    };

    /**
     * A request (Query, or an extended-protocol batch up to its Sync, or FunctionCall) was answered by its
     * ReadyForQuery.
     *
     * @param responseNanos from the request reaching pgmux to the ReadyForQuery, waiting for a backend included
     *                      (RDS Proxy: QueryResponseLatency)
     * @param databaseNanos from the request being written to the backend to its ReadyForQuery
     *                      (RDS Proxy: QueryDatabaseResponseLatency)
     */
    default void queryCompleted(long responseNanos, long databaseNanos) {
    }

    /**
     * A transaction ended (ReadyForQuery back to idle after an explicit or implicit transaction).
     *
     * @param nanos from its first statement reaching the backend to the idle ReadyForQuery
     */
    default void transactionCompleted(long nanos) {
    }

    /**
     * An ErrorResponse is being sent to the client, relayed from the backend or made by pgmux. Reads only the
     * SQLSTATE field of the frame (absolute gets, indexes untouched, no retain or release).
     */
    default void errorSent(ByteBuf errorResponseFrame) {
    }

    /** An ErrorResponse with this SQLSTATE is being sent to the client. */
    default void errorSent(String sqlState) {
    }

    /** The session's backend became pinned, first by {@code reason} (a pin reason tag). Once per pin. */
    default void pinned(String reason) {
    }

    /** A pin of this session ended (its state was undone, or the client left). */
    default void unpinned() {
    }
}
