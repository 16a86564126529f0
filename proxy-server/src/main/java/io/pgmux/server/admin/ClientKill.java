// KILL_CLIENT id: disconnects one client, found by the id SHOW CLIENTS lists.
package io.pgmux.server.admin;

import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.clients.ClientRegistry;
import io.pgmux.server.metrics.ClientEntry;

/**
 * PgBouncer 1.25's KILL_CLIENT: the client's connection is closed at once, as if it had gone away (a query it was
 * running is cancelled and its server connection discarded, a transaction rolled back).
 */
final class ClientKill {

    private ClientKill() {
    }

    /** @throws PgException 42601 without an id, 42704 when no client has it */
    static void kill(ClientRegistry clients, String argument) {
        long id;
        try {
            id = Long.parseLong(argument == null ? "" : argument.strip());
        } catch (NumberFormatException e) {
            throw ConsoleCommand.syntax("KILL_CLIENT needs the id of a client (the id column of SHOW CLIENTS)");
        }
        for (ClientEntry c : clients.loggedInClients()) {
            if (c.id() == id) {
                c.channel().close();
                return;
            }
        }
        throw new PgException(Severity.ERROR, SqlState.UNDEFINED_OBJECT, "no client with id " + id);
    }
}
