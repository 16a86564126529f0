// The StartupMessage a client sends to open a session: protocol version and connection parameters.
package io.pgmux.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A StartupMessage.
 *
 * @param majorVersion    always 3 when produced by {@link StartupDecoder}
 * @param minorVersion    as sent; a value above 0 must be answered with NegotiateProtocolVersion
 * @param parameters      connection parameters in the order sent, excluding protocol options ("_pq_." names);
 *                        unmodifiable. Values may contain secrets (e.g. in "options"): do not log them wholesale.
 * @param protocolOptions the "_pq_."-prefixed parameter names, unmodifiable
 */
public record StartupMessage(int majorVersion, int minorVersion, Map<String, String> parameters,
                             List<String> protocolOptions) implements StartupPacket {

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
        protocolOptions = List.copyOf(protocolOptions);
    }

    /** The "user" parameter, or null if the client did not send one. */
    public String user() {
        return parameters.get("user");
    }

    /** The "database" parameter; when absent or empty, the user name, as PostgreSQL does. May be null. */
    public String database() {
        String database = parameters.get("database");
        return database == null || database.isEmpty() ? user() : database;
    }
}
