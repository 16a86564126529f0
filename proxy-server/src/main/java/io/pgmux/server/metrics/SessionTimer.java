// Times one client session's requests and transactions for its SessionMetrics, with three calls on the data path.
package io.pgmux.server.metrics;

/**
 * The clock of one client session: when its current request reached pgmux, when it was written to the backend,
 * and when its transaction started. The session calls {@link #requestArrived()} for each client message,
 * {@link #forwarded()} for each message written to the backend and {@link #answered(boolean)} at the ReadyForQuery
 * that leaves nothing outstanding; this class reports to {@link SessionMetrics} and reads the clock only at those
 * boundaries (at most three {@link System#nanoTime()} calls per request). Pipelined requests answered by one final
 * ReadyForQuery count as one.
 *
 * <p>Threading: confined to the session's event loop; plain fields, no allocation.
 */
public final class SessionTimer {
    private final SessionMetrics metrics;
    private long requestStart;
    private long databaseStart;
    private long transactionStart;

    public SessionTimer(SessionMetrics metrics) {
        this.metrics = metrics;
    }

    /** A client message arrived: starts the response clock unless a request is already being timed. */
    public void requestArrived() {
        if (requestStart == 0) {
            requestStart = System.nanoTime();
        }
    }

    /** A message was written to the backend: starts the database and transaction clocks if they are not running. */
    public void forwarded() {
        if (databaseStart == 0) {
            databaseStart = System.nanoTime();
            if (requestStart == 0) {
                requestStart = databaseStart;
            }
            if (transactionStart == 0) {
                transactionStart = databaseStart;
            }
        }
    }

    /**
     * The ReadyForQuery that answers everything sent (or pgmux's own answer to a refused request): records the
     * request, and the transaction when {@code idle} (transaction status 'I').
     */
    public void answered(boolean idle) {
        if (databaseStart == 0) {
            requestStart = 0; // answered by pgmux itself: nothing reached the backend
            return;
        }
        long now = System.nanoTime();
        metrics.queryCompleted(now - requestStart, now - databaseStart);
        requestStart = 0;
        databaseStart = 0;
        if (idle) {
            metrics.transactionCompleted(now - transactionStart);
            transactionStart = 0;
        }
    }
}
