package io.pgmux.server.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.pool.Admission;
import io.pgmux.pool.Pool;
import io.pgmux.pool.ServerConnection;
import java.util.List;
import java.util.Map;

/**
 * Gets one client a backend that matches its session: acquires it from the pool, then SETs and RESETs whatever
 * differs from the client's parameters ({@link ParameterSync}). One instance per request; completes on the
 * client's event loop. If the client leaves meanwhile ({@link #cancel}), the backend goes straight back.
 */
final class ServerHandover {
    private final Pool pool;
    private final EventLoop loop;
    private final Admission admission;
    private final Promise<ServerConnection> result;
    private Future<ServerConnection> acquiring;
    private boolean cancelled;

    ServerHandover(Pool pool, EventLoop loop, Admission admission) {
        this.pool = pool;
        this.loop = loop;
        this.admission = admission;
        this.result = loop.newPromise();
    }

    /**
     * @param wanted  the client's parameter values; canonical spellings reported by the backend are adopted
     * @param tracked the client's track_extra_parameters values as SQL text
     */
    Future<ServerConnection> start(Map<String, String> wanted, Map<String, String> tracked) {
        acquiring = pool.acquire(loop, admission);
        acquiring.addListener(f -> onAcquired(wanted, tracked));
        return result;
    }

    /** 1-based position in the pool's wait queue, 0 once a backend was found. */
    int queuePosition() {
        return acquiring == null ? 0 : pool.queuePosition(acquiring);
    }

    /** The client left: no backend is wanted any more. Called on the client's loop. */
    void cancel() {
        cancelled = true;
        acquiring.cancel(false);
        result.cancel(false);
    }

    private void onAcquired(Map<String, String> wanted, Map<String, String> tracked) {
        if (acquiring.isCancelled()) {
            return;
        }
        if (!acquiring.isSuccess()) {
            result.tryFailure(acquiring.cause());
            return;
        }
        ServerConnection server = acquiring.getNow();
        if (cancelled) {
            pool.release(server, false);
            return;
        }
        Map<String, String> defaults = pool.loginParameters() != null ? pool.loginParameters() : Map.of();
        if (ParameterSync.inLine(wanted, tracked, server, defaults)) {
            hand(server);
            return;
        }
        List<String> statements = ParameterSync.statements(wanted, tracked, server, defaults);
        if (statements.isEmpty()) {
            hand(server);
            return;
        }
        server.execute(statements).addListener(sync -> loop.execute(() -> {
            if (!sync.isSuccess()) {
                // Some SETs may have applied before the failure: the backend's state is not known any more.
                pool.discard(server);
                result.tryFailure(sync.cause());
                return;
            }
            ParameterSync.recordApplied(wanted, tracked, server);
            ParameterSync.adoptCanonicalValues(wanted, server);
            hand(server);
        }));
    }

    private void hand(ServerConnection server) {
        if (cancelled || !result.trySuccess(server)) {
            pool.release(server, false);
        }
    }
}
