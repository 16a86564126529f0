package io.pgmux.server.pinning;

/**
 * Why a client keeps its backend beyond the end of a transaction: session state that would otherwise be lost, or
 * leak to the next client of that backend. The names are used in logs and, later, as metric tags.
 */
public enum PinReason {
    /** A protocol-level named prepared statement (Parse with a name), when max_prepared_statements is 0. */
    NAMED_PREPARED_STATEMENT("named_prepared_statement"),
    /** SQL PREPARE. */
    SQL_PREPARE("sql_prepare"),
    /**
     * SQL PREPARE of a statement that creates state (set_config, an advisory lock ...): every EXECUTE may create
     * it again after an undo, so only DISCARD ALL ends this pin.
     */
    PREPARED_EFFECTS("prepared_effects"),
    /** LISTEN: notifications must reach this client. */
    LISTEN("listen"),
    /** DECLARE ... WITH HOLD: the cursor outlives the transaction. */
    CURSOR_WITH_HOLD("cursor_with_hold"),
    /** A temporary object: CREATE TEMP ..., CREATE ... pg_temp.x, SELECT ... INTO TEMP, pg_temp in search_path. */
    TEMP_OBJECT("temp_object"),
    /** A session-level advisory lock. */
    ADVISORY_LOCK("advisory_lock"),
    /** LOAD of a shared library. */
    LOAD("load"),
    /** SET of a parameter PostgreSQL does not report (and pgmux does not track). */
    UNTRACKED_SET("untracked_set"),
    /** set_config(name, value, is_local) with is_local other than the literal true, or UPDATE pg_settings. */
    SET_CONFIG("set_config"),
    /** SET ROLE, SET SESSION AUTHORIZATION: unlike other parameters, RESET ALL leaves them. */
    SET_ROLE("set_role"),
    /** DO: arbitrary code, which may create any state. */
    DO_BLOCK("do_block"),
    /** CALL of a procedure, or a function called with FunctionCall: arbitrary code, which may create any state. */
    PROCEDURE_CALL("procedure_call");

    private final String tag;

    PinReason(String tag) {
        this.tag = tag;
    }

    String tag() {
        return tag;
    }
}
