package io.pgmux.server;

/**
 * Why a client keeps its backend beyond the end of a transaction: session state that would otherwise be lost, or
 * leak to the next client of that backend. The names are used in logs and, later, as metric tags.
 */
enum PinReason {
    /** A protocol-level named prepared statement (Parse with a name), when max_prepared_statements is 0. */
    NAMED_PREPARED_STATEMENT("named_prepared_statement"),
    /** SQL PREPARE. */
    SQL_PREPARE("sql_prepare"),
    /** LISTEN: notifications must reach this client. */
    LISTEN("listen"),
    /** DECLARE ... WITH HOLD: the cursor outlives the transaction. */
    CURSOR_WITH_HOLD("cursor_with_hold"),
    /** CREATE TEMP/TEMPORARY table, view or sequence. */
    TEMP_OBJECT("temp_object"),
    /** A session-level advisory lock. */
    ADVISORY_LOCK("advisory_lock"),
    /** LOAD of a shared library. */
    LOAD("load"),
    /** SET/RESET of a parameter PostgreSQL does not report, or SET ROLE / SESSION AUTHORIZATION. */
    UNTRACKED_SET("untracked_set");

    private final String tag;

    PinReason(String tag) {
        this.tag = tag;
    }

    String tag() {
        return tag;
    }
}
