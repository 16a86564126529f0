// Opens one backend on the first host of a database whose role the pool accepts, as libpq does with several hosts.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.config.HostPort;
import io.pgmux.config.TargetSessionAttrs;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt to open a backend for a pool: tries the hosts {@link ServerHosts#next} names one after the other,
 * learns each reached host's role ({@link RoleProbe}), and keeps the first backend whose role the pool's
 * {@code target_session_attrs} accepts. A backend of the wrong role is closed at once, so a read-write pool is never
 * given a backend on a standby. With {@code prefer-standby} a backend on the primary is kept aside and used only
 * when no standby could be reached. Fails with the last host's error when no host served.
 *
 * <p>Threading: each step runs on the loop of the connection it waits for; the steps follow one another, so the
 * fields are never touched by two threads at once.
 */
final class HostSelection {
    private final Pool pool;
    private final BackendConnector connector;
    private final BackendTarget target;
    private final ServerHosts hosts;
    private final EventLoop loop;
    /** The hosts this selection tried already; a handful at most. */
    private final List<HostPort> tried = new ArrayList<>(2);
    private final Promise<ServerConnection> promise;
    private ServerConnection fallback;
    private Throwable lastFailure;

    private HostSelection(Pool pool, BackendConnector connector, BackendTarget target, ServerHosts hosts,
                          EventLoop loop) {
        this.pool = pool;
        this.connector = connector;
        this.target = target;
        this.hosts = hosts;
        this.loop = loop;
        this.promise = loop.newPromise();
    }

    /** Opens one backend of {@code pool} on a host {@code hosts} allows; see the class comment. */
    static Future<ServerConnection> open(Pool pool, BackendConnector connector, BackendTarget target,
                                         ServerHosts hosts, EventLoop loop) {
        HostSelection selection = new HostSelection(pool, connector, target, hosts, loop);
        selection.tryNext();
        return selection.promise;
    }

    private void tryNext() {
        // Asked again at each step, not once: other selections running meanwhile change which host is least busy.
        HostPort host = hosts.next(tried, pool.clock().nanoTime());
        if (host == null) {
            finish();
            return;
        }
        tried.add(host);
        Future<ServerConnection> connecting;
        try {
            connecting = connector.connect(pool, target.at(host), loop);
        } catch (RuntimeException e) { // e.g. the loop is shutting down
            hosts.attemptEnded(host);
            promise.tryFailure(e);
            closeFallback();
            return;
        }
        connecting.addListener((Future<ServerConnection> f) -> {
            if (f.isSuccess()) {
                probe(host, f.getNow());
            } else {
                hosts.attemptEnded(host);
                hosts.failed(host, pool.clock().nanoTime());
                lastFailure = f.cause();
                tryNext();
            }
        });
    }

    private void probe(HostPort host, ServerConnection server) {
        TargetSessionAttrs attrs = hosts.attrs();
        if (attrs == TargetSessionAttrs.ANY && ServerRole.fromReported(server.reportedParameters()) == null) {
            // Any role will do, and asking an old server its role would cost a round trip per backend.
            hosts.loggedIn(host, ServerRole.UNKNOWN, pool.clock().nanoTime());
            succeed(server);
            hosts.attemptEnded(host);
            return;
        }
        RoleProbe.of(server).addListener((Future<ServerRole> f) -> {
            try {
                decide(host, server, f, attrs);
            } finally {
                // After the backend counts on its host, so that the host never looks less busy than it is.
                hosts.attemptEnded(host);
            }
        });
    }

    private void decide(HostPort host, ServerConnection server, Future<ServerRole> probed, TargetSessionAttrs attrs) {
        if (!probed.isSuccess()) {
            hosts.failed(host, pool.clock().nanoTime());
            lastFailure = probed.cause();
            server.close();
            tryNext();
            return;
        }
        ServerRole role = probed.getNow();
        hosts.loggedIn(host, role, pool.clock().nanoTime());
        if (role.serves(attrs) && !(attrs.prefersStandby() && role == ServerRole.PRIMARY)) {
            succeed(server);
        } else if (role.serves(attrs) && fallback == null) {
            fallback = server;
            tryNext();
        } else {
            server.close();
            lastFailure = wrongRole(attrs, role);
            tryNext();
        }
    }

    private void succeed(ServerConnection server) {
        closeFallback();
        hosts.backendOpened(server);
        if (!promise.trySuccess(server)) {
            hosts.backendClosed(server);
            server.close();
        }
    }

    private void finish() {
        if (fallback != null) {
            ServerConnection server = fallback;
            fallback = null;
            succeed(server);
            return;
        }
        promise.tryFailure(lastFailure != null ? lastFailure : wrongRole(hosts.attrs(), ServerRole.UNKNOWN));
    }

    private void closeFallback() {
        if (fallback != null) {
            fallback.close();
            fallback = null;
        }
    }

    private static PgException wrongRole(TargetSessionAttrs attrs, ServerRole role) {
        String wanted = attrs.acceptsPrimary() ? "a primary" : "a standby";
        return new PgException(Severity.FATAL, SqlState.CONNECTION_FAILURE, "no database server available for "
                + "target_session_attrs " + attrs.text() + ": none of its hosts is " + wanted + " at the moment"
                + (role == ServerRole.UNKNOWN ? "" : " (the last one reached is a " + role.text() + ")"));
    }
}
