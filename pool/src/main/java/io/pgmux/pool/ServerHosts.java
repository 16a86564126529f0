// What a pool knows of each host of its database: its role, its state, its backends, and which to try next.
package io.pgmux.pool;

import io.pgmux.config.HostPort;
import io.pgmux.config.TargetSessionAttrs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts of one pool's database, each with the role its last login showed, whether the last attempt on it
 * failed, and how many of the pool's backends are open or being opened on it. {@link #next} picks the host to try
 * for a new backend: hosts whose known role serves the pool first, together with hosts of unknown role, then the
 * primary of a {@code prefer-standby} pool, then hosts that showed another role (roles change in a failover, so they
 * are still tried); within each group, a host whose last attempt failed less than {@link #DOWN_BACKOFF_NANOS} ago
 * goes last. Among equals the host with the fewest of the pool's backends wins (least busy), ties in turn (round
 * robin), so that the backends of a pool of standbys spread evenly; the transactions lent on them are balanced by
 * {@link HostShares}.
 *
 * <p>Threading: called from every event loop; each method is one short critical section on this object.
 */
public final class ServerHosts {
    private static final Logger log = LoggerFactory.getLogger(ServerHosts.class);
    /** A host that failed a login is tried after the others for this long. */
    static final long DOWN_BACKOFF_NANOS = 5_000_000_000L;

    /**
     * One host's state, for SHOW HOSTS and the metrics.
     *
     * @param up              false after a failed connect, login or health check, until one succeeds
     * @param lagging         a standby whose replay lag is above max_replica_lag: it gets no new transactions
     * @param replayLagMillis the replay lag the last health check measured, or -1 when none did (or not a standby)
     */
    public record HostView(HostPort address, ServerRole role, boolean up, long lastChangeNanos, boolean lagging,
                           long replayLagMillis) {
        /** {@code up}, {@code down} or {@code lagging}: the word SHOW HOSTS shows. */
        public String state() {
            return !up ? "down" : lagging ? "lagging" : "up";
        }
    }

    private static final class Host {
        final HostPort address;
        ServerRole role = ServerRole.UNKNOWN;
        boolean up = true;
        long failedAtNanos;
        long lastChangeNanos;
        /** The pool's logged-in backends on this host (identity: a backend is counted and forgotten once). */
        final Set<ServerConnection> backends = new HashSet<>();
        /** Attempts to open a backend here that have not finished yet. */
        int connecting;
        /** The last health check failed: tried after every other host until a check or a login succeeds. */
        boolean failingCheck;
        boolean lagging;
        long replayLagMillis = -1;

        Host(HostPort address) {
            this.address = address;
        }

        int load() {
            return backends.size() + connecting;
        }
    }

    private final String owner;
    private final TargetSessionAttrs attrs;
    private final List<Host> hosts = new ArrayList<>();
    private int nextFirst;

    ServerHosts(String owner, List<HostPort> addresses, TargetSessionAttrs attrs) {
        this.owner = owner;
        this.attrs = attrs;
        addresses.forEach(a -> hosts.add(new Host(a)));
    }

    TargetSessionAttrs attrs() {
        return attrs;
    }

    /**
     * The host to try next for a new backend, among those not in {@code tried}, or null when every host was tried;
     * see the class comment for the order. The attempt counts against the host until {@link #attemptEnded}, so that
     * selections running at the same time spread over the hosts instead of all picking the same one.
     */
    synchronized HostPort next(Collection<HostPort> tried, long now) {
        int turn = nextFirst++ & Integer.MAX_VALUE;
        Host best = null;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < hosts.size(); i++) {
            Host host = hosts.get((turn + i) % hosts.size());
            if (tried.contains(host.address)) {
                continue;
            }
            int rank = rank(host, now);
            if (best == null || rank < bestRank || rank == bestRank && host.load() < best.load()) {
                best = host;
                bestRank = rank;
            }
        }
        if (best == null) {
            return null;
        }
        best.connecting++;
        return best.address;
    }

    /** An attempt {@link #next} handed out finished, whatever its outcome. */
    synchronized void attemptEnded(HostPort address) {
        Host host = find(address);
        if (host != null && host.connecting > 0) {
            host.connecting--;
        }
    }

    /** {@code server} logged in and joined the pool: it counts towards its host's load until it is forgotten. */
    synchronized void backendOpened(ServerConnection server) {
        Host host = find(IdleServers.hostOf(server));
        if (host != null) {
            host.backends.add(server);
        }
    }

    /** {@code server} left the pool; does nothing for a backend this object never counted (opened before a reload). */
    synchronized void backendClosed(ServerConnection server) {
        Host host = find(IdleServers.hostOf(server));
        if (host != null) {
            host.backends.remove(server);
        }
    }

    /** 0..2 by role preference (1 is the primary of a prefer-standby pool), plus 3 for a host that failed recently. */
    private int rank(Host host, long now) {
        int byRole;
        if (host.role == ServerRole.UNKNOWN) {
            byRole = 0; // in turn with the hosts known to serve, so that every host is soon known
        } else if (attrs.prefersStandby()) {
            byRole = host.role == ServerRole.STANDBY ? 0 : 1;
        } else {
            byRole = host.role.serves(attrs) ? 0 : 2;
        }
        boolean recentlyDown = !host.up && now - host.failedAtNanos < DOWN_BACKOFF_NANOS;
        return byRole + (recentlyDown || host.failingCheck || host.lagging ? 3 : 0);
    }

    /**
     * True when {@code address} has at least two of the pool's backends more than another host of the best rank
     * (a standby that came back, or caught up, after the others took all the backends): closing one backend there as
     * it comes back lets the pool open its replacement on the less busy host, so that each host has its share of the
     * backends again (the share of the transactions does not depend on it: see {@link HostShares}).
     */
    synchronized boolean crowded(HostPort address, long now) {
        Host host = find(address);
        if (host == null || hosts.size() < 2 || rank(host, now) != 0) {
            return false;
        }
        for (Host other : hosts) {
            if (other != host && rank(other, now) == 0 && host.backends.size() - other.load() >= 2) {
                return true;
            }
        }
        return false;
    }

    /** A login on {@code address} succeeded and showed {@code role}; a change of role is logged once. */
    synchronized void loggedIn(HostPort address, ServerRole role, long now) {
        Host host = find(address);
        if (host == null) {
            return;
        }
        if (!host.up) {
            log.info("{}: host {} is up again ({})", owner, address, role.text());
            host.up = true;
            host.lastChangeNanos = now;
        }
        host.failingCheck = false;
        observed(host, role, now);
    }

    /**
     * A health check reached {@code address}: it is up, of {@code role}, and (a standby) {@code replayLagMillis}
     * behind, which makes it lagging above {@code maxLagMillis} (0: no limit). A change of state is logged once.
     */
    synchronized void checked(HostPort address, ServerRole role, long replayLagMillis, long maxLagMillis, long now) {
        Host host = find(address);
        if (host == null) {
            return;
        }
        loggedIn(address, role, now);
        host.replayLagMillis = role == ServerRole.STANDBY ? replayLagMillis : -1;
        boolean lagging = maxLagMillis > 0 && host.replayLagMillis > maxLagMillis;
        if (lagging != host.lagging) {
            log.info("{}: standby {} {} (replay lag {} ms, max_replica_lag {} ms)", owner, address,
                    lagging ? "lags behind: it gets no new transactions" : "caught up", replayLagMillis,
                    maxLagMillis);
            host.lagging = lagging;
            host.lastChangeNanos = now;
        }
    }

    /** A health check could not reach or log in to {@code address}, or got no answer in time. */
    synchronized void checkFailed(HostPort address, long now) {
        failed(address, now);
        Host host = find(address);
        if (host != null) {
            host.failingCheck = true;
            host.lagging = false;
            host.replayLagMillis = -1;
        }
    }

    /**
     * True when the pool should stop using its backends on {@code address}: the host lags, failed its health check
     * or showed a role the pool does not accept, and another host, known to serve the pool, is in good standing.
     * Without such an alternative the host is still used: a lagging standby beats no answer at all.
     */
    synchronized boolean avoids(HostPort address, long now) {
        Host host = find(address);
        if (host == null || hosts.size() < 2) {
            return false;
        }
        boolean wrongRole = host.role != ServerRole.UNKNOWN && !host.role.serves(attrs);
        if (!wrongRole && !host.failingCheck && !host.lagging) {
            return false;
        }
        for (Host other : hosts) {
            if (other != host && other.role != ServerRole.UNKNOWN && other.role.serves(attrs)
                    && rank(other, now) < 3) {
                return true;
            }
        }
        return false;
    }

    /** A backend on {@code address} reported {@code role} after its login (a standby was promoted). */
    synchronized void roleReported(HostPort address, ServerRole role, long now) {
        Host host = find(address);
        if (host != null) {
            observed(host, role, now);
        }
    }

    private void observed(Host host, ServerRole role, long now) {
        if (role != ServerRole.UNKNOWN && role != host.role) {
            if (host.role != ServerRole.UNKNOWN) {
                log.info("{}: host {} changed role from {} to {}", owner, host.address, host.role.text(),
                        role.text());
            }
            host.role = role;
            host.lastChangeNanos = now;
        }
    }

    /** A connect or login on {@code address} failed. */
    synchronized void failed(HostPort address, long now) {
        Host host = find(address);
        if (host == null) {
            return;
        }
        if (host.up) {
            log.info("{}: host {} is down", owner, address);
            host.up = false;
            host.lastChangeNanos = now;
        }
        host.failedAtNanos = now;
    }

    synchronized List<HostView> views() {
        List<HostView> views = new ArrayList<>(hosts.size());
        for (Host host : hosts) {
            views.add(new HostView(host.address, host.role, host.up, host.lastChangeNanos, host.lagging,
                    host.replayLagMillis));
        }
        return views;
    }

    private Host find(HostPort address) {
        for (Host host : hosts) {
            if (host.address.equals(address)) {
                return host;
            }
        }
        return null;
    }
}
