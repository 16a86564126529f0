// The periodic health check of every host of a pool's database: reachable, which role, how far replay is behind.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.pgmux.config.HostPort;
import io.pgmux.protocol.PgException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each host of a pool's database every {@code health_check_period} with a {@link HostProbe}, and tells the
 * pool's {@link ServerHosts} what it found: a host that cannot be reached is down and tried last until a check or
 * a login succeeds again; a role change (a promoted standby) is learnt without waiting for a login to fail; a
 * standby whose replay lag is above {@code max_replica_lag} gets no new transactions until it catches up. Only
 * databases with several hosts are checked: with one, there is nothing to choose, and the failover hold covers an
 * outage. One round runs at a time; a round that hangs is bounded by the probe's timeout.
 *
 * <p>Threading: {@link #maybeRun} is called from the janitor, the probes complete on event loops; the round's
 * bookkeeping is guarded by this object's monitor.
 */
final class HostChecks {
    private static final Logger log = LoggerFactory.getLogger(HostChecks.class);

    /** The settings of one database; a reload swaps them whole. */
    record Settings(Duration period, Duration maxReplicaLag) {
        static final Settings OFF = new Settings(Duration.ZERO, Duration.ZERO);
    }

    private final Pool pool;
    private volatile Settings settings = Settings.OFF;
    private boolean everStarted;
    private long lastStartNanos;
    private int running;

    HostChecks(Pool pool) {
        this.pool = pool;
    }

    void settings(Settings newSettings) {
        settings = newSettings;
    }

    Settings settings() {
        return settings;
    }

    /**
     * Starts a round when one is due: the period has passed since the last one started and that one is over.
     * {@code loop} is where the probes run; nothing happens without one.
     */
    void maybeRun(long now, BackendTarget target, ServerHosts hosts, BackendConnector connector, EventLoop loop,
                  long timeoutNanos) {
        Settings current = settings;
        long periodNanos = current.period().toNanos();
        List<HostPort> addresses = target.hosts();
        if (periodNanos == 0 || addresses.size() < 2 || loop == null) {
            return;
        }
        synchronized (this) {
            if (running > 0 || everStarted && now - lastStartNanos < periodNanos) {
                return;
            }
            everStarted = true;
            lastStartNanos = now;
            running = addresses.size();
        }
        long maxLagMillis = current.maxReplicaLag().toMillis();
        for (HostPort address : addresses) {
            HostProbe.run(connector, pool, target.at(address), loop, timeoutNanos)
                    .addListener((Future<HostProbe.Report> f) -> {
                        long at = pool.clock().nanoTime();
                        if (f.isSuccess()) {
                            hosts.checked(address, f.getNow().role(), f.getNow().replayLagMillis(), maxLagMillis, at);
                        } else if (serverAway(f.cause())) {
                            log.debug("pool {}: health check of {} failed: {}", pool.key(), address,
                                    ServerFailures.describe(f.cause()));
                            hosts.checkFailed(address, at);
                        } else {
                            // Refused as a login (e.g. passthrough credentials not learnt yet): says nothing of
                            // the host, whose state stays as the pool's own logins leave it.
                            log.debug("pool {}: health check of {} could not log in: {}", pool.key(), address,
                                    ServerFailures.describe(f.cause()));
                        }
                        if (lastOfRound()) {
                            // Once every host is known: whether a host is to be avoided depends on the others.
                            pool.hostsChecked(addresses);
                        }
                        roundStep();
                    });
        }
    }

    /** True when the check failed because the server is away, not because it refused this login. */
    private static boolean serverAway(Throwable cause) {
        return LoginBackoff.serverGone(cause instanceof PgException pg ? pg : ServerFailures.unreachable(cause));
    }

    private synchronized boolean lastOfRound() {
        return running == 1;
    }

    private synchronized void roundStep() {
        running--;
    }

    /** True while a round has checks in flight. */
    synchronized boolean running() {
        return running > 0;
    }
}
