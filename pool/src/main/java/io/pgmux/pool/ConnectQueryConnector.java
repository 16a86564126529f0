// Runs a database's connect_query on each backend it opens, before any client sees the backend.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.List;
import java.util.function.Function;

/**
 * PgBouncer's {@code connect_query}: statements run once on every new backend of a database, after login and
 * before the backend is lent (for session settings, or to warm caches). A backend whose connect_query fails is
 * closed and the opening fails with the server's SQLSTATE and message, as a failed login does: the waiting clients
 * get it, and the pool waits {@code server_login_retry} before trying again, so a broken query does not make pgmux
 * open backends in a loop.
 *
 * <p>Hazard: {@code DISCARD ALL} (the default {@code server_reset_query} of session pooling) undoes the settings a
 * connect_query made, exactly as in PgBouncer.
 */
public final class ConnectQueryConnector implements BackendConnector {
    private final BackendConnector delegate;
    private final Function<String, String> connectQueryOf;

    /**
     * @param connectQueryOf the connect_query in force for a database name (read at every opening, so that a reload
     *                       applies to the backends opened afterwards); null or empty for none
     */
    public ConnectQueryConnector(BackendConnector delegate, Function<String, String> connectQueryOf) {
        this.delegate = delegate;
        this.connectQueryOf = connectQueryOf;
    }

    @Override
    public Future<ServerConnection> connect(Pool pool, BackendTarget target, EventLoop loop) {
        String query = connectQueryOf.apply(pool.key().database());
        if (query == null || query.isBlank()) {
            return delegate.connect(pool, target, loop);
        }
        Promise<ServerConnection> promise = loop.newPromise();
        delegate.connect(pool, target, loop).addListener((Future<ServerConnection> connected) -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
                return;
            }
            ServerConnection server = connected.getNow();
            server.execute(List.of(query)).addListener(ran -> {
                if (ran.isSuccess()) {
                    if (!promise.trySuccess(server)) {
                        server.close();
                    }
                    return;
                }
                server.close();
                promise.tryFailure(failed(pool, ran.cause()));
            });
        });
        return promise;
    }

    private static PgException failed(Pool pool, Throwable cause) {
        String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String sqlState = cause instanceof PgException e ? e.sqlState() : SqlState.CONNECTION_FAILURE;
        return new PgException(Severity.FATAL, sqlState, "connect_query of database \"" + pool.key().database()
                + "\" failed: " + why);
    }
}
