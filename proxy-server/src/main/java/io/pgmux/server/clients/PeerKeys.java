// The layout of the cancel keys a replica hands out when it has peers: which replica issued a key.
package io.pgmux.server.clients;

import io.pgmux.config.FleetSettings;

/**
 * How a process id of pgmux's BackendKeyData names the replica that issued it, so that a CancelRequest reaching
 * another replica can be forwarded there (the {@code peers} setting, as PgBouncer's peering does).
 *
 * <pre>
 * bit  31     forwarded: set by the replica that forwards a CancelRequest, so it is forwarded at most once
 * bits 30..23 peer id (0..255) of the issuing replica
 * bits 22..0  a sequence number, unique among the replica's connected clients
 * </pre>
 *
 * <p>Process ids stay positive, as PostgreSQL's are. Without peers the sequence uses all 31 bits, as before
 * peering existed. The forwarded bit keeps two replicas whose peer lists disagree from passing one cancel
 * back and forth forever.
 *
 * @param peering whether this replica has peers
 * @param peerId  this replica's peer id (0 without peers)
 */
public record PeerKeys(boolean peering, int peerId) {
    /** A lone pgmux: keys carry no peer id and nothing is forwarded. */
    public static final PeerKeys NONE = new PeerKeys(false, 0);

    private static final int SEQUENCE_BITS = 23;
    private static final int SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1;
    private static final int FORWARDED = Integer.MIN_VALUE;

    /** The process id for the {@code sequence}-th client; 0 is never a valid one and callers skip it. */
    int processId(int sequence) {
        if (!peering) {
            return sequence & Integer.MAX_VALUE;
        }
        return (peerId << SEQUENCE_BITS) | (sequence & SEQUENCE_MASK);
    }

    /** The keys of a replica with the given fleet settings. */
    public static PeerKeys of(FleetSettings fleet) {
        return fleet.hasPeers() ? new PeerKeys(true, fleet.peerId()) : NONE;
    }

    /** The peer id a process id carries (meaningless for keys issued without peers). */
    public static int peerOf(int processId) {
        return (processId & Integer.MAX_VALUE) >>> SEQUENCE_BITS;
    }

    /** Whether another replica already forwarded this CancelRequest. */
    public static boolean forwarded(int processId) {
        return (processId & FORWARDED) != 0;
    }

    /** The process id as a forwarding replica sends it on. */
    public static int markForwarded(int processId) {
        return processId | FORWARDED;
    }

    /** The process id as its issuer gave it out. */
    public static int unmarked(int processId) {
        return processId & Integer.MAX_VALUE;
    }
}
