// SHOW HOSTS: each host of each pool's database, with the role, state and backends pgmux last saw.
package io.pgmux.server.admin;

import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolAdmin;
import io.pgmux.pool.ServerHosts;
import java.util.concurrent.TimeUnit;

/**
 * One row per host of each pool: {@code role} (primary, standby, or unknown before the first login there),
 * {@code state} ({@code up}; {@code down} after a failed connect, login or health check; {@code lagging} for a
 * standby whose replay lag is above max_replica_lag), how many of the pool's backends are open on it, how many
 * seconds ago its role or state last changed (NULL when it never did), and the replay lag the last health check
 * measured on a standby, in milliseconds (NULL when none did). Read from snapshots; nothing is asked of the
 * servers.
 */
final class ShowHosts {
    private final ServerControl control;

    ShowHosts(ServerControl control) {
        this.control = control;
    }

    ResultTable hosts() {
        ResultTable t = new ResultTable().text("database", "user", "host").number("port").text("role", "state")
                .number("backends", "changed_s_ago", "replay_lag_ms");
        long now = System.nanoTime();
        for (Pool pool : control.pools().pools()) {
            var servers = pool.admin().servers();
            for (ServerHosts.HostView host : pool.hosts()) {
                long backends = servers.stream().map(PoolAdmin.ServerView::server)
                        .filter(s -> s.target().host().equals(host.address().host())
                                && s.target().port() == host.address().port())
                        .count();
                Long changed = host.lastChangeNanos() == 0 ? null
                        : TimeUnit.NANOSECONDS.toSeconds(now - host.lastChangeNanos());
                t.row(pool.key().database(), pool.key().user(), host.address().host(), host.address().port(),
                        host.role().text(), host.state(), backends, changed,
                        host.replayLagMillis() < 0 ? null : host.replayLagMillis());
            }
        }
        return t;
    }
}
