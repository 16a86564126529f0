// Where and as whom a pool logs in to PostgreSQL.
package io.pgmux.pool;

import io.pgmux.config.HostPort;
import io.pgmux.config.TargetSessionAttrs;
import java.util.List;
import java.util.Map;

/**
 * Where and as whom a pool logs in to PostgreSQL. A pool's target may list several {@link #hosts()}; each backend
 * is opened on one of them, with a target {@link #at} that host, which is what the backend remembers (a
 * CancelRequest goes there).
 *
 * @param host              PostgreSQL host (the first of {@code hosts})
 * @param port              PostgreSQL port
 * @param database          the real database name sent in the StartupMessage
 * @param user              the login role
 * @param password          the role's password, or null for trust
 * @param startupParameters extra StartupMessage parameters every backend of the pool is opened with
 * @param passthrough       credentials learnt from client logins, used when {@code password} is null or a SCRAM
 *                          secret; null when there are none
 * @param hosts             every host of the database, in the order they are tried; null means {@code host:port}
 * @param sessionAttrs      which hosts' roles may serve the pool; null means any
 */
public record BackendTarget(String host, int port, String database, String user, String password,
                            Map<String, String> startupParameters, PassthroughLogins passthrough,
                            List<HostPort> hosts, TargetSessionAttrs sessionAttrs) {
    public BackendTarget {
        startupParameters = Map.copyOf(startupParameters);
        hosts = hosts == null ? List.of(new HostPort(host, port)) : List.copyOf(hosts);
        sessionAttrs = sessionAttrs == null ? TargetSessionAttrs.ANY : sessionAttrs;
    }

    /** A target with one host, of any role. */
    public BackendTarget(String host, int port, String database, String user, String password,
                         Map<String, String> startupParameters, PassthroughLogins passthrough) {
        this(host, port, database, user, password, startupParameters, passthrough, null, null);
    }

    /** A target that logs in with {@code password} only. */
    public BackendTarget(String host, int port, String database, String user, String password,
                         Map<String, String> startupParameters) {
        this(host, port, database, user, password, startupParameters, null);
    }

    /** This target narrowed to one of its hosts: where one backend is opened. */
    public BackendTarget at(HostPort where) {
        if (hosts.size() == 1 && where.host().equals(host) && where.port() == port) {
            return this;
        }
        return new BackendTarget(where.host(), where.port(), database, user, password, startupParameters,
                passthrough, List.of(where), sessionAttrs);
    }

    @Override
    public String toString() {
        // Never print the password.
        return user + "@" + (hosts.size() == 1 ? host + ":" + port : hosts.toString()) + "/" + database;
    }
}
