// auth_query passthrough: looks client users' secrets up in PostgreSQL over a dedicated auth_user connection.
package io.pgmux.server.auth;

import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.HostPort;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.TargetSessionAttrs;
import io.pgmux.config.UserConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs {@code auth_query} for users pgmux does not know, so users can be managed in PostgreSQL alone. Queries run
 * on one dedicated thread over one JDBC connection per {@link AuthQueryTarget} (the database's own auth_user,
 * auth_dbname and auth_query, else the global ones); they never block an event loop. Results (secret or "no such
 * user") are cached by {@link AuthQueryCache} for {@code auth_query_cache_ttl}. The connection goes to the
 * database's hosts the way its pools do: the first one up whose role {@code target_session_attrs} accepts. A failed
 * query closes its connection and is tried once more on a fresh one (the host may have gone away in a failover); a
 * second failure fails the lookup. The {@code $1} of the query is sent as a bind parameter, never spliced into SQL.
 *
 * <p>Thread-safe; {@link #close()} stops the thread and closes the connections. Hazard: results are secrets and are
 * never logged.
 */
final class AuthQuery implements AutoCloseable {
    private final PgmuxConfig config;
    private final AuthQueryCache cache;
    private final ExecutorService executor;
    private final Map<String, Connection> connections = new HashMap<>(); // only touched on the executor's thread

    AuthQuery(PgmuxConfig config) {
        this.config = config;
        boolean enabled = AuthQueryTarget.anyIn(config);
        this.cache = enabled ? new AuthQueryCache(config.auth().authQuery().cacheTtl(), System::nanoTime) : null;
        this.executor = enabled
                ? Executors.newSingleThreadExecutor(new DefaultThreadFactory("pgmux-auth-query", true)) : null;
    }

    /** Whether logins to {@code database} look unknown users up. */
    boolean enabled(String database) {
        return AuthQueryTarget.of(config, database) != null;
    }

    /**
     * The secret of {@code user} as stored in the server that answers for {@code database} (its auth_dbname's, else
     * its own), or null when the query finds none.
     */
    CompletableFuture<String> lookup(String database, String user) {
        AuthQueryTarget target = AuthQueryTarget.of(config, database);
        AuthQueryCache.Entry cached = cache.get(target.key(), user);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.secret());
        }
        return CompletableFuture.supplyAsync(() -> {
            AuthQueryCache.Entry again = cache.get(target.key(), user); // another login may have just looked it up
            if (again != null) {
                return again.secret();
            }
            String secret = query(target, user);
            cache.put(target.key(), user, secret);
            return secret;
        }, executor);
    }

    private String query(AuthQueryTarget target, String user) {
        boolean reused = connections.containsKey(target.key());
        try {
            return queryOnce(target, user);
        } catch (SQLException first) {
            if (reused) {
                // The cached connection may be to a host that went away (a failover): one more try on a fresh
                // connection, which picks a host that is up.
                try {
                    return queryOnce(target, user);
                } catch (SQLException e) {
                    throw failed(target.database(), e);
                }
            }
            throw failed(target.database(), first);
        }
    }

    private String queryOnce(AuthQueryTarget target, String user) throws SQLException {
        Connection connection = connection(target);
        try (PreparedStatement statement = connection.prepareStatement(target.query().replace("$1", "?"))) {
            statement.setString(1, user);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(2) : null;
            }
        } catch (SQLException e) {
            closeQuietly(connections.remove(target.key()));
            throw e;
        }
    }

    private static IllegalStateException failed(String database, SQLException e) {
        return new IllegalStateException("auth_query on database \"" + database + "\" failed: " + e.getMessage(), e);
    }

    private Connection connection(AuthQueryTarget target) throws SQLException {
        Connection existing = connections.get(target.key());
        if (existing != null && !existing.isClosed()) {
            return existing;
        }
        DatabaseConfig db = config.database(target.database());
        UserConfig authUser = config.user(target.user());
        Properties properties = new Properties();
        properties.setProperty("user", authUser.name());
        properties.setProperty("password", authUser.password());
        properties.setProperty("ApplicationName", "pgmux auth_query");
        properties.setProperty("connectTimeout",
                String.valueOf(Math.max(1, config.timeouts().serverConnectTimeout().toSeconds())));
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("targetServerType", serverType(db.targetSessionAttrs()));
        Connection connection = DriverManager.getConnection("jdbc:postgresql://" + hostList(db) + "/" + db.dbname(),
                properties);
        connections.put(target.key(), connection);
        return connection;
    }

    /** Every host of the database, in its order: the driver skips those that are down, as the pools do. */
    private static String hostList(DatabaseConfig db) {
        StringBuilder hosts = new StringBuilder();
        for (HostPort host : db.hosts()) {
            hosts.append(hosts.isEmpty() ? "" : ",").append(hostForUrl(host.host())).append(':').append(host.port());
        }
        return hosts.toString();
    }

    /** The driver's word for the roles the database's pools accept (pg_shadow is readable on a standby too). */
    static String serverType(TargetSessionAttrs attrs) {
        return switch (attrs) {
            case ANY -> "any";
            case PREFER_STANDBY -> "preferSecondary";
            default -> attrs.acceptsPrimary() ? "primary" : "secondary";
        };
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken; nothing more to release
            }
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.execute(() -> connections.values().forEach(AuthQuery::closeQuietly));
            executor.shutdown();
        }
    }
}
