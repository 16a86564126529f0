// Where clients connect besides the first listen address, and what pgmux does with their addresses.
package io.pgmux.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The client listeners beyond {@code listen}'s first address, and PgBouncer's application_name_add_host.
 *
 * @param moreListen             {@code listen}'s addresses after the first (PgBouncer's listen_addr list), in order;
 *                               never {@code null}
 * @param unixSocketDir          {@code unix_socket_dir}: directory of the Unix socket {@code .s.PGSQL.PORT} (PORT
 *                               being the port of the first listen address), named as PostgreSQL and PgBouncer name
 *                               it so that {@code psql -h DIR -p PORT} finds it; {@code null} for no Unix socket
 * @param unixSocketMode         {@code unix_socket_mode}: permission bits of the socket file (default 0777)
 * @param unixSocketGroup        {@code unix_socket_group}: group given the socket file, or {@code null} to leave it
 * @param applicationNameAddHost {@code application_name_add_host}: append the client's address and port to the
 *                               application_name PostgreSQL sees ({@code "psql - 10.0.0.7:51234"}), as PgBouncer
 *                               does, so that pg_stat_activity tells apart clients that share a backend (default off)
 */
public record ClientAddressSettings(List<HostPort> moreListen, Path unixSocketDir, int unixSocketMode,
        String unixSocketGroup, boolean applicationNameAddHost) {

    /** PgBouncer's and PostgreSQL's default: anyone on the machine may connect; authentication decides. */
    public static final int DEFAULT_UNIX_SOCKET_MODE = 0777;

    /** @throws IllegalArgumentException for a mode outside 0..0777 */
    public ClientAddressSettings {
        moreListen = moreListen == null ? List.of() : List.copyOf(moreListen);
        if (unixSocketMode < 0 || unixSocketMode > 0777) {
            throw new IllegalArgumentException("unixSocketMode must be 0..0777, got " + unixSocketMode);
        }
    }

    /** One listen address, no Unix socket, nothing appended. */
    public static ClientAddressSettings defaults() {
        return new ClientAddressSettings(List.of(), null, DEFAULT_UNIX_SOCKET_MODE, null, false);
    }

    /** The socket file clients connect to for the first listen address's {@code port}; null without a directory. */
    public Path unixSocketFile(int port) {
        return unixSocketDir == null ? null : unixSocketDir.resolve(".s.PGSQL." + port);
    }
}
