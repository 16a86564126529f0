// The transaction each virtual function runs and the SQL it is made of, shared by every client kind.
package io.pgmux.loadtest.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One function's work. Statements carry the function id so each is distinct, as real traffic is; the write inserts
 * into {@link #TABLE} tagged with the run id, so committed functions can be counted afterwards.
 *
 * @param kind           what to run
 * @param queries        statements inside the transaction for {@link TransactionKind#QUERIES}
 * @param thinkTimeMillis how long the function stays connected and idle after its transaction
 * @param workMillis      time spent inside an explicit transaction (a server-side {@code pg_sleep}), standing for
 *                        the function's own work while it holds the transaction open; 0 for none
 */
public record TransactionSpec(TransactionKind kind, int queries, long thinkTimeMillis, long workMillis) {
    /** Where read-write functions insert their row. */
    public static final String TABLE = "pgmux_loadtest_events";
    /** Name of the prepared statement of {@link TransactionKind#PREPARED}. */
    public static final String STATEMENT_NAME = "pgmux_loadtest_read";
    /** Text of the prepared statement; parameter 1 is the function id. */
    public static final String PREPARED_SQL = "SELECT $1::bigint AS function_id, now() AS at";

    public TransactionSpec {
        if (queries < 1 || queries > 10_000 || thinkTimeMillis < 0 || workMillis < 0) {
            throw new IllegalArgumentException("queries must be 1..10000 and think and work time not negative");
        }
    }

    /** DDL run once per target before a writing scenario. */
    public static String createTableSql() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE
                + " (run_id text NOT NULL, function_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())";
    }

    /** Counts the rows a run left behind. */
    public static String countSql(String runId) {
        return "SELECT count(*) FROM " + TABLE + " WHERE run_id = '" + quote(runId) + "'";
    }

    /** The simple-query statements of function {@code id}, in order (not used for PREPARED). */
    public List<String> statements(String runId, long id) {
        switch (kind) {
            case READ:
                return List.of(readSql(id));
            case READ_WRITE:
                return inTransaction(List.of("INSERT INTO " + TABLE + " (run_id, function_id) VALUES ('"
                        + quote(runId) + "', " + id + ")"));
            case QUERIES:
                List<String> reads = new ArrayList<>(queries);
                for (int i = 1; i <= queries; i++) {
                    reads.add(readSql(id * 10_000 + i));
                }
                return inTransaction(reads);
            default:
                throw new IllegalStateException("no simple statements for " + kind);
        }
    }

    private List<String> inTransaction(List<String> body) {
        List<String> all = new ArrayList<>(body.size() + 3);
        all.add("BEGIN");
        all.addAll(body);
        if (workMillis > 0) {
            all.add(String.format(Locale.ROOT, "SELECT pg_sleep(%.3f)", workMillis / 1000.0));
        }
        all.add("COMMIT");
        return all;
    }

    /** A one-line description for reports. */
    public String describe() {
        String what = kind == TransactionKind.QUERIES ? queries + " queries in a transaction" : kind.label();
        if (workMillis > 0 && (kind == TransactionKind.READ_WRITE || kind == TransactionKind.QUERIES)) {
            what += " holding the transaction " + workMillis + " ms";
        }
        return thinkTimeMillis > 0 ? what + ", then " + thinkTimeMillis + " ms idle" : what;
    }

    private static String readSql(long id) {
        return "SELECT " + id + " AS function_id, now() AS at";
    }

    /** Run ids are generated, but quoting keeps a user-chosen one from breaking the statement. */
    private static String quote(String text) {
        return text.replace("'", "''");
    }
}
