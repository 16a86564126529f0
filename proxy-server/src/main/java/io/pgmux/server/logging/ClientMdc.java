// Puts a client's database, user and id in the logging MDC for the lines logged about it.
package io.pgmux.server.logging;

import org.slf4j.MDC;

/**
 * The JSON layout writes the MDC as fields ({@code "mdc":{"database":..,"user":..,"client_id":..}}), so a log
 * shipper can filter a client's lines without parsing the message. Event loops carry many clients, so the fields are
 * put for one log call and removed right after; used only where a line is logged, never per message relayed.
 */
public final class ClientMdc implements AutoCloseable {
    public static final String DATABASE = "database";
    public static final String USER = "user";
    public static final String CLIENT_ID = "client_id";

    private static final ClientMdc CLOSER = new ClientMdc();

    private ClientMdc() {
    }

    /** Sets the fields until {@link #close()}: {@code try (var mdc = ClientMdc.of(...)) { log.info(...); }}. */
    public static ClientMdc of(String database, String user, int clientId) {
        MDC.put(DATABASE, LogSafe.escape(database));
        MDC.put(USER, LogSafe.escape(user));
        MDC.put(CLIENT_ID, Integer.toString(clientId));
        return CLOSER;
    }

    @Override
    public void close() {
        MDC.remove(DATABASE);
        MDC.remove(USER);
        MDC.remove(CLIENT_ID);
    }
}
