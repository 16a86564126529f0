// The lifecycle states of a backend connection, named after PgBouncer's SHOW SERVERS states.
package io.pgmux.pool;

/** Lifecycle of a backend connection; the names are PgBouncer's SHOW SERVERS states. */
public enum ServerState {
    /** sv_login: connecting and authenticating to PostgreSQL. */
    LOGIN,
    /** sv_idle: in the pool, clean, ready to be handed out. */
    IDLE,
    /** sv_active: held by a client. */
    ACTIVE,
    /** sv_used: returned by a client and being cleaned (rollback, reset) before reuse. */
    USED,
    /** Closed; never reused. */
    CLOSED
}
