package io.pgmux.server.session;

import io.pgmux.config.Timeouts;

/**
 * The moments a session's client-side timeouts are measured from, and the decision which one has expired. Plain
 * fields on the session's event loop: updating them costs a {@code System.nanoTime()} per read batch or query.
 */
final class SessionClock {
    /** What a timeout check asks the session to do. */
    enum Expired {
        NOTHING,
        /** query_wait_notify: tell the waiting client it is queued. */
        NOTIFY_WAIT,
        /** query_timeout: cancel the running query on the backend. */
        CANCEL_QUERY,
        /** idle_transaction_timeout: end the session; its backend is rolled back. */
        IDLE_TRANSACTION,
        /** client_idle_timeout: end the session. */
        IDLE_CLIENT,
        /** transaction_timeout: end the session; its backend is closed or rolled back. */
        TRANSACTION
    }

    private long lastActivity = System.nanoTime();
    private long queryStarted;
    private long waitStarted;
    private boolean cancelSent;
    /** From the first query sent outside a transaction to the ReadyForQuery that reports idle again. */
    private boolean transactionOpen;
    private long transactionStarted;
    private boolean waitNoticeSent;

    void activity() {
        lastActivity = System.nanoTime();
    }

    void queryStarted() {
        queryStarted = System.nanoTime();
        cancelSent = false;
        if (!transactionOpen) {
            transactionOpen = true;
            transactionStarted = queryStarted;
        }
    }

    /** At each ReadyForQuery the client is given: {@code idle} ends the transaction transaction_timeout measures. */
    void readyForQuery(boolean idle) {
        if (idle) {
            transactionOpen = false;
        }
    }

    void waitStarted() {
        waitStarted = System.nanoTime();
        waitNoticeSent = false;
    }

    long waitedMillis(long now) {
        return (now - waitStarted) / 1_000_000;
    }

    /**
     * @param timeouts      the timeouts in force now (a reload may have changed them since the session began)
     * @param waiting       the client waits for a backend
     * @param running       a query is outstanding on the backend
     * @param inTransaction the client's backend is inside a transaction
     * @param welcomed      the client finished logging in (notices may be sent)
     */
    Expired check(long now, Timeouts timeouts, boolean waiting, boolean running, boolean inTransaction,
                  boolean welcomed) {
        if (!welcomed) {
            return Expired.NOTHING; // logging in: client_login_timeout governs
        }
        if (!waiting && transactionOpen
                && expired(timeouts.transactionTimeout().toNanos(), now - transactionStarted)) {
            return Expired.TRANSACTION;
        }
        if (waiting) {
            if (!waitNoticeSent && expired(timeouts.queryWaitNotify().toNanos(), now - waitStarted)) {
                waitNoticeSent = true;
                return Expired.NOTIFY_WAIT;
            }
        } else if (running) {
            if (!cancelSent && expired(timeouts.queryTimeout().toNanos(), now - queryStarted)) {
                cancelSent = true;
                return Expired.CANCEL_QUERY;
            }
        } else if (inTransaction) {
            if (expired(timeouts.idleTransactionTimeout().toNanos(), now - lastActivity)) {
                return Expired.IDLE_TRANSACTION;
            }
        } else if (expired(timeouts.clientIdleTimeout().toNanos(), now - lastActivity)) {
            return Expired.IDLE_CLIENT;
        }
        return Expired.NOTHING;
    }

    private static boolean expired(long limit, long elapsed) {
        return limit > 0 && elapsed >= limit;
    }
}
