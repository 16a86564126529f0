// What pgmux does with the address a client connects from: PgBouncer's application_name_add_host.
package io.pgmux.config;

/**
 * Settings about client addresses that are not about authentication.
 *
 * @param applicationNameAddHost {@code application_name_add_host}: append the client's address and port to the
 *                               application_name PostgreSQL sees ({@code "psql - 10.0.0.7:51234"}), as PgBouncer
 *                               does, so that pg_stat_activity tells apart clients that share a backend (default off)
 */
public record ClientAddressSettings(boolean applicationNameAddHost) {

    /** Nothing appended. */
    public static ClientAddressSettings defaults() {
        return new ClientAddressSettings(false);
    }
}
