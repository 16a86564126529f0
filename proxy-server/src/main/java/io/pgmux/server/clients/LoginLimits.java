// max_db_client_connections and max_user_client_connections: logged-in clients counted per database and per user.
package io.pgmux.server.clients;

import io.netty.channel.Channel;
import io.pgmux.protocol.SqlState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the clients logged in to each database and as each user, and turns away the one that would go over a
 * limit. A client is counted from {@link #admit} until its channel closes, so a count can never outlive its socket.
 * Console sessions are never counted, as in PgBouncer.
 *
 * <p>Threading: any thread. A count is taken before it is checked and given back when over the limit, so concurrent
 * logins never exceed it; this happens once per login, never per message.
 */
final class LoginLimits {
    private final Map<String, AtomicInteger> byDatabase = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byUser = new ConcurrentHashMap<>();

    /**
     * Counts a client of {@code database} logged in as {@code user} until {@code channel} closes.
     *
     * @param maxDb   max_db_client_connections in force for the database, 0 = unlimited
     * @param maxUser max_user_client_connections in force for the user, 0 = unlimited
     * @throws io.pgmux.protocol.PgException FATAL 53300 naming the limit, and nothing is counted
     */
    void admit(Channel channel, String database, String user, int maxDb, int maxUser) {
        AtomicInteger dbCount = take(byDatabase, database, maxDb, "max_db_client_connections");
        AtomicInteger userCount;
        try {
            userCount = take(byUser, user, maxUser, "max_user_client_connections");
        } catch (RuntimeException refused) {
            dbCount.decrementAndGet();
            throw refused;
        }
        channel.closeFuture().addListener(f -> {
            dbCount.decrementAndGet();
            userCount.decrementAndGet();
        });
    }

    /** Clients counted now for {@code database}. */
    int ofDatabase(String database) {
        AtomicInteger count = byDatabase.get(database);
        return count == null ? 0 : count.get();
    }

    /** Clients counted now for {@code user}. */
    int ofUser(String user) {
        AtomicInteger count = byUser.get(user);
        return count == null ? 0 : count.get();
    }

    private static AtomicInteger take(Map<String, AtomicInteger> counts, String name, int max, String setting) {
        AtomicInteger count = counts.computeIfAbsent(name, n -> new AtomicInteger());
        if (count.incrementAndGet() > max && max > 0) {
            count.decrementAndGet();
            // PgBouncer's words; the SQLSTATE is PostgreSQL's for a database's or role's connection limit.
            throw ClientErrors.fatal(SqlState.TOO_MANY_CONNECTIONS, "client connections exceeded (" + setting + ")");
        }
        return count;
    }
}
