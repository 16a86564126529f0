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
 */
public record BackendTarget(String host, int port, String database, String user, String password,
                            Map<String, String> startupParameters) {
    public BackendTarget {
        startupParameters = Map.copyOf(startupParameters);
    }

    @Override
    public String toString() {
        // Never print the password.
        return user + "@" + host + ":" + port + "/" + database;
    }
}
