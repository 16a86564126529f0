// One request waiting for its ReadyForQuery: collects rows, tags and the first error the server reports.
package io.pgmux.loadtest.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Accumulates the answer of one request; touched only on the connection's event loop. */
final class PendingRequest {
    final CompletableFuture<QueryResult> future = new CompletableFuture<>();
    final List<List<String>> rows = new ArrayList<>();
    final List<String> tags = new ArrayList<>();
    /** The statement this request sends a Parse for, or null; used to forget it if the Parse fails. */
    String parsedStatement;
    boolean parseConfirmed;
    PgClientException error;

    /** Keeps the first error: later ones in the same cycle are consequences of it. */
    void fail(PgClientException e) {
        if (error == null) {
            error = e;
        }
    }

    /** Completes the future at ReadyForQuery: exceptionally if an error arrived, else with the result. */
    void finish(char transactionStatus) {
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(new QueryResult(rows, tags, transactionStatus));
        }
    }
}
