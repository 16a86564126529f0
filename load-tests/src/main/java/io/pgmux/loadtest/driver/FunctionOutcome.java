// What happened to one virtual function: its latencies, or the phase and error that stopped it.
package io.pgmux.loadtest.driver;

/**
 * The result of one virtual function, recorded by the runner.
 *
 * @param connectNanos     time to connect and log in (for the pooled baseline: to borrow a connection), or -1
 * @param transactionNanos time from the first statement to the last answer, or -1 if it did not complete
 * @param errorKey         null on success, else the SQLSTATE or a client-side key such as {@code timeout}
 * @param phase            where it failed: {@code connect} or {@code transaction}; null on success
 */
public record FunctionOutcome(long connectNanos, long transactionNanos, String errorKey, String phase) {
    public static FunctionOutcome success(long connectNanos, long transactionNanos) {
        return new FunctionOutcome(connectNanos, transactionNanos, null, null);
    }

    public static FunctionOutcome connectFailed(Throwable error) {
        return new FunctionOutcome(-1, -1, ErrorKeys.of(error), "connect");
    }

    public static FunctionOutcome transactionFailed(long connectNanos, Throwable error) {
        return new FunctionOutcome(connectNanos, -1, ErrorKeys.of(error), "transaction");
    }

    public boolean succeeded() {
        return errorKey == null;
    }
}
