// Settings for running several pgmux processes side by side: rollouts, cancels across replicas, one budget.
package io.pgmux.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How one pgmux cooperates with the other replicas of a fleet. Everything here is off by default, so a single
 * pgmux behaves exactly as before.
 *
 * @param shutdownGrace {@code shutdown_grace}: on SIGTERM, how long pgmux reports not ready while it still accepts
 *                      clients, so that load balancers and Kubernetes endpoints stop routing to it before the
 *                      listener closes; {@link Duration#ZERO} (the default) closes the listener at once
 * @param soReuseport   {@code so_reuseport}: bind the client listener with {@code SO_REUSEPORT}, so that a new process
 *                      can listen on the same port before the old one leaves (epoll and io_uring transports only)
 * @param peerId        {@code peer_id}: this replica's id in {@code peers}, 0..{@value #MAX_PEER_ID} (a StatefulSet
 *                      ordinal fits); 0 when there are no peers
 * @param peers         {@code peers}: the client address of every replica by peer id (this one's included); a
 *                      CancelRequest carrying another peer's id is forwarded to that peer
 * @param maxDbConnections {@code fleet_max_db_connections}: most backends that all replicas together keep open to
 *                      one database, each holding one of that many slots (a PostgreSQL session advisory lock); 0
 *                      (the default) is no fleet budget
 * @param warmup        {@code warmup}: at start, the longest pgmux spends warming its code up with synthetic clients
 *                      (a private listener and a scripted backend, never PostgreSQL) before it reports ready;
 *                      clients are served meanwhile. {@link Duration#ZERO} reports ready at once
 */
public record FleetSettings(Duration shutdownGrace, boolean soReuseport, int peerId, Map<Integer, HostPort> peers,
        int maxDbConnections, Duration warmup) {

    /** The largest peer id: cancel keys carry it in 8 bits of their process id. */
    public static final int MAX_PEER_ID = 255;
    /**
     * The default bound of the start-up warm-up: its fixed work (8,000 synthetic clients) took 14 s on the 2-core
     * reference machine with nothing else running; the bound only matters on a starved machine, where readiness
     * should not wait much longer.
     */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(20);

    /**
     * @throws IllegalArgumentException for a negative grace, a peer id out of range, or peers without this replica
     */
    public FleetSettings {
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, got " + shutdownGrace);
        }
        if (peerId < 0 || peerId > MAX_PEER_ID) {
            throw new IllegalArgumentException("peerId must be 0.." + MAX_PEER_ID + ", got " + peerId);
        }
        peers = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(peers, "peers")));
        if (!peers.isEmpty() && !peers.containsKey(peerId)) {
            throw new IllegalArgumentException("peers must list this replica's peer id " + peerId);
        }
        if (maxDbConnections < 0) {
            throw new IllegalArgumentException("maxDbConnections must be >= 0, got " + maxDbConnections);
        }
        Objects.requireNonNull(warmup, "warmup");
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative, got " + warmup);
        }
    }

    /** A lone pgmux: no grace, no SO_REUSEPORT, no peers, no budget; the default warm-up. */
    public static FleetSettings defaults() {
        return new FleetSettings(Duration.ZERO, false, 0, Map.of(), 0, DEFAULT_WARMUP);
    }

    /** True when cancel keys carry a peer id and foreign ones are forwarded. */
    public boolean hasPeers() {
        return !peers.isEmpty();
    }
}
