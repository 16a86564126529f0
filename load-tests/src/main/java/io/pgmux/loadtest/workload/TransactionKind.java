// The kinds of short transaction a virtual function runs.
package io.pgmux.loadtest.workload;

import java.util.Locale;

/** What a virtual function does once connected. */
public enum TransactionKind {
    /** One read-only statement, no explicit transaction. */
    READ,
    /** BEGIN, INSERT one row tagged with the run and function id, COMMIT: three round trips. */
    READ_WRITE,
    /** One statement through a named prepared statement (extended protocol). */
    PREPARED,
    /** BEGIN, N read statements, COMMIT. */
    QUERIES;

    /** Parses {@code read}, {@code read-write}, {@code prepared} or {@code queries}. */
    public static TransactionKind parse(String text) {
        return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The scenario spelling, e.g. {@code read-write}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether functions of this kind leave a row behind that proves their commit. */
    public boolean writes() {
        return this == READ_WRITE;
    }
}
