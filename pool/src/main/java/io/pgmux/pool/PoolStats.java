// A snapshot of one pool's backend and waiter counts, in PgBouncer's SHOW POOLS terms.
package io.pgmux.pool;

/**
 * A consistent snapshot of one pool's lists, in PgBouncer's SHOW POOLS terms.
 *
 * @param idle    sv_idle: open, clean and unused
 * @param active  sv_active: held by clients
 * @param used    sv_used: being cleaned after a client
 * @param login   sv_login: connecting or authenticating
 * @param waiting cl_waiting: clients queued for a backend
 */
public record PoolStats(int idle, int active, int used, int login, int waiting) {
    public int total() {
        return idle + active + used + login;
    }
}
