// Where and as whom a pool logs in to PostgreSQL.
package io.pgmux.pool;

import java.util.Map;

/**
 * Where and as whom a pool logs in to PostgreSQL.
 *
 * @param host              PostgreSQL host
 * @param port              PostgreSQL port
 * @param database          the real database name sent in the StartupMessage
 * @param user              the login role
 * @param password          the role's password, or null for trust
 * @param startupParameters extra StartupMessage parameters every backend of the pool is opened with
 * @param passthrough       credentials learnt from client logins, used when {@code password} is null or a SCRAM
 *                          secret; null when there are none
 */
public record BackendTarget(String host, int port, String database, String user, String password,
                            Map<String, String> startupParameters, PassthroughLogins passthrough) {
    public BackendTarget {
        startupParameters = Map.copyOf(startupParameters);
    }

    /** A target that logs in with {@code password} only. */
    public BackendTarget(String host, int port, String database, String user, String password,
                         Map<String, String> startupParameters) {
        this(host, port, database, user, password, startupParameters, null);
    }

    @Override
    public String toString() {
        // Never print the password.
        return user + "@" + host + ":" + port + "/" + database;
    }
}
