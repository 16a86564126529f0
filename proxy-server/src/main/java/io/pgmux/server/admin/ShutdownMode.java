// The three ways SHUTDOWN leaves, as PgBouncer's console spells them.
package io.pgmux.server.admin;

import java.util.Locale;

/**
 * What SHUTDOWN waits for before pgmux exits. Both waiting modes stop accepting connections at once and have no
 * time limit: a plain SHUTDOWN (on a console connection that is still open) or SIGTERM ends the wait.
 */
public enum ShutdownMode {
    /** {@code SHUTDOWN}: closes every connection at once. */
    IMMEDIATE,
    /**
     * {@code SHUTDOWN WAIT_FOR_SERVERS}: stops lending backends, as PAUSE does, and exits once every backend held by
     * a client came back; transactions in progress commit or roll back normally.
     */
    WAIT_FOR_SERVERS,
    /** {@code SHUTDOWN WAIT_FOR_CLIENTS}: connected clients keep working; exits once the last one disconnected. */
    WAIT_FOR_CLIENTS;

    /**
     * @param argument SHUTDOWN's argument in any case, or null for none
     * @throws io.pgmux.protocol.PgException 42601 for any other argument
     */
    static ShutdownMode parse(String argument) {
        if (argument == null) {
            return IMMEDIATE;
        }
        return switch (argument.toUpperCase(Locale.ROOT)) {
            case "WAIT_FOR_SERVERS" -> WAIT_FOR_SERVERS;
            case "WAIT_FOR_CLIENTS" -> WAIT_FOR_CLIENTS;
            default -> throw ConsoleCommand.syntax(
                    "SHUTDOWN takes WAIT_FOR_SERVERS, WAIT_FOR_CLIENTS or nothing, got \"" + argument + "\"");
        };
    }
}
