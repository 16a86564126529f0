// What one request on a PgClient returned: rows, command tags and the transaction status after it.
package io.pgmux.loadtest.client;

import java.util.List;

/**
 * The outcome of one simple-query or extended-protocol request.
 *
 * @param rows              every DataRow of every statement, each column as text ({@code null} for SQL NULL)
 * @param commandTags       the CommandComplete tags in order, e.g. {@code BEGIN}, {@code INSERT 0 1}, {@code COMMIT}
 * @param transactionStatus the ReadyForQuery status: {@code 'I'} idle, {@code 'T'} in a transaction, {@code 'E'} failed
 */
public record QueryResult(List<List<String>> rows, List<String> commandTags, char transactionStatus) {
    public QueryResult {
        rows = List.copyOf(rows);
        commandTags = List.copyOf(commandTags);
    }
}
