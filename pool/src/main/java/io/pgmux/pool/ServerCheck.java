// Runs server_check_query on an idle backend before it is lent, bounded in time.
package io.pgmux.pool;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The liveness check of a backend that sat idle: a backend whose server restarted, or whose network path died
 * silently, fails the query (or never answers) instead of failing the client's first statement.
 */
final class ServerCheck {

    private ServerCheck() {
    }

    /**
     * Runs {@code query} on {@code server}, which the caller holds. A check that has not finished after
     * {@code timeout} closes the backend, which fails the returned future: a hung backend must not hold a client
     * forever.
     */
    static Future<Void> run(ServerConnection server, String query, Duration timeout) {
        Future<Void> result = server.execute(List.of(query));
        if (!result.isDone()) {
            ScheduledFuture<?> timer = server.eventLoop().schedule(() -> {
                if (!result.isDone()) {
                    server.channel().close();
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            result.addListener(f -> timer.cancel(false));
        }
        return result;
    }
}
