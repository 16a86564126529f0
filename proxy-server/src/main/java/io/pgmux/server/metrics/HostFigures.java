// The per-host and failover series of one pool: role, up, backends per host, failovers and how long they held.
package io.pgmux.server.metrics;

import io.pgmux.pool.FailoverCounters;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolAdmin;
import io.pgmux.pool.ServerHosts;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;

/**
 * Adds to a scrape, for one pool: {@code pgmux_host_up} (1 or 0, labelled with the host and the role pgmux last
 * saw there), {@code pgmux_host_backends}, {@code pgmux_host_replay_lag_seconds} (standbys the health check
 * measured), {@code pgmux_host_lagging}, {@code pgmux_pool_failovers} and the histogram
 * {@code pgmux_pool_failover_hold_seconds}. Read from snapshots at scrape time. Stateless.
 */
final class HostFigures {
    private HostFigures() {
    }

    static void add(Families f, Labels labels, Pool pool) {
        List<PoolAdmin.ServerView> servers = pool.admin().servers();
        for (ServerHosts.HostView host : pool.hosts()) {
            Labels hostLabels = labels.add("host", host.address().toString()).add("role", host.role().text());
            f.gauge("pgmux_host_up", "1 when the last connect or login on the host succeeded; labelled with the role"
                    + " pgmux last saw there (primary, standby, unknown)", host.up() ? 1 : 0, hostLabels);
            long backends = servers.stream().filter(v -> v.server().target().host().equals(host.address().host())
                    && v.server().target().port() == host.address().port()).count();
            f.gauge("pgmux_host_backends", "Backends of the pool open on the host", backends, hostLabels);
            if (host.replayLagMillis() >= 0) {
                f.gauge("pgmux_host_replay_lag_seconds", "Replay lag of the standby at the last health check",
                        host.replayLagMillis() / 1000.0, hostLabels);
            }
            f.gauge("pgmux_host_lagging", "1 while the standby's replay lag is above max_replica_lag: it gets no new"
                    + " transactions", host.lagging() ? 1 : 0, hostLabels);
        }
        FailoverCounters failovers = pool.failoverCounters();
        f.counter("pgmux_pool_failovers", "Failover holds ridden out: logins failed, then worked again within"
                + " failover_hold_timeout", failovers.failovers(), labels);
        f.histogram("pgmux_pool_failover_hold_seconds", "How long each failover hold lasted, first failed login to"
                + " the first backend logged in again", failovers.holds().snapshot(), labels);
    }
}
