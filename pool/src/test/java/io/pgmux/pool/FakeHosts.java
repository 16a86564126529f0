// Several fake servers behind one connector, each reached by the host name of the target it is asked for.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.pgmux.config.HostPort;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link BackendConnector} for a database of several hosts: a target at host {@code h} reaches the
 * {@link FakeBackend} registered as {@code h}; a host that is {@link #down} refuses connections as a stopped
 * server does. Counts the connection attempts per host.
 */
final class FakeHosts implements BackendConnector {
    private final Map<String, FakeBackend> backends = new ConcurrentHashMap<>();
    private final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final FakePoolBed bed;

    FakeHosts(FakePoolBed bed) {
        this.bed = bed;
    }

    /** A new fake server reached as {@code host}, reporting {@code hotStandby} ("on", "off" or null). */
    FakeBackend add(String host, String hotStandby, boolean recovery) {
        FakeBackend backend = new FakeBackend(bed.group);
        backend.hotStandby(hotStandby, recovery);
        backends.put(host, backend);
        return backend;
    }

    /** Stops ({@code true}) or starts again a host: while down, every connect to it is refused. */
    void down(String host, boolean isDown) {
        down.put(host, isDown);
        if (isDown) {
            backends.get(host).dropSessions();
        }
    }

    int attempts(String host) {
        AtomicInteger count = attempts.get(host);
        return count == null ? 0 : count.get();
    }

    /** A target listing {@code hosts} (each at port 5432) for database and user {@code app}. */
    static BackendTarget target(io.pgmux.config.TargetSessionAttrs attrs, String... hosts) {
        List<HostPort> addresses = java.util.Arrays.stream(hosts).map(h -> new HostPort(h, 5432)).toList();
        return new BackendTarget(hosts[0], 5432, "app", "app", null, Map.of(), null, addresses, attrs);
    }

    @Override
    public Future<ServerConnection> connect(Pool pool, BackendTarget target, EventLoop loop) {
        attempts.computeIfAbsent(target.host(), h -> new AtomicInteger()).incrementAndGet();
        FakeBackend backend = backends.get(target.host());
        if (backend == null || down.getOrDefault(target.host(), false)) {
            return FakeConnector.unreachable().connect(pool, target, loop);
        }
        return new FakeConnector(backend.address()).connect(pool, target, loop);
    }

    void close() {
        backends.values().forEach(FakeBackend::close);
    }
}
