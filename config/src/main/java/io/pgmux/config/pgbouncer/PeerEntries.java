// Translates PgBouncer's peering: peer_id and the [peers] section become pgmux's peer_id and peers.
package io.pgmux.config.pgbouncer;

import io.pgmux.config.FleetSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each {@code [peers]} line {@code ID = host=HOST port=PORT} becomes {@code peers.ID: HOST:PORT} (port 6432 unless
 * given, as in PgBouncer), and {@code peer_id} becomes {@code peer_id}, so that a cancel request reaching the wrong
 * replica is forwarded to the one holding its client. Where the two disagree:
 * <ul>
 *   <li>PgBouncer turns peering off with peer_id 0 (its default), so [peers] is then ignored, with a warning;</li>
 *   <li>pgmux's cancel keys carry the peer id in 8 bits, so ids above 255 are errors (PgBouncer's go to 16383);</li>
 *   <li>pgmux lists this replica among its peers; when [peers] leaves it out (PgBouncer allows that), its entry
 *       is the first listen address, with a note (a replica never forwards to itself, so it is not dialled);</li>
 *   <li>pgmux forwards over TCP only: a peer reached through a Unix socket is left out, with a warning;</li>
 *   <li>pool_size (cancel requests in flight to a peer) is ignored, with a warning.</li>
 * </ul>
 * Runs after {@link ListenAndAuth}, whose listen address it may need.
 */
final class PeerEntries {

    /** PgBouncer's default port of a peer. */
    private static final int DEFAULT_PORT = 6432;
    /** PgBouncer's largest peer id. */
    private static final int PGBOUNCER_MAX_PEER_ID = 16383;

    private PeerEntries() {
    }

    /**
     * @param peers  the [peers] lines, in file order
     * @param peerId the [pgbouncer] peer_id line, or null
     */
    static void apply(List<IniEntry> peers, IniEntry peerId, ConversionTarget out) {
        // null after an error: the [peers] lines are still read, so that every mistake is reported at once
        Integer self = peerId == null || peerId.value().isBlank() ? Integer.valueOf(0) : id(peerId, out);
        if (self != null && self == 0) {
            if (!peers.isEmpty()) {
                out.warn(peers.get(0).where() + ": the [peers] section is ignored: peer_id is not set (0), which "
                        + "turns peering off in PgBouncer too");
            }
            return;
        }
        if (self != null && peers.isEmpty()) {
            out.warn(peerId, "there is no [peers] section, so no peer to forward cancel requests to");
            return;
        }
        Map<Integer, String> addresses = new LinkedHashMap<>();
        for (IniEntry peer : peers) {
            Integer id = id(peer, out);
            String address = id == null ? null : address(peer, id, id.equals(self), out);
            if (address != null) {
                addresses.put(id, address);
            }
        }
        if (self == null) {
            return;
        }
        if (!addresses.containsKey(self)) {
            String own = firstListenAddress(out);
            addresses.put(self, own);
            out.note(peerId.where() + ": peer_id: [peers] has no entry for this replica (" + self + "), which pgmux "
                    + "lists too: it is " + own + ", the first listen address");
        }
        out.top("peer_id", self);
        out.top("peers", addresses);
    }

    /** A peer id, from peer_id or a [peers] key, in the range both PgBouncer and pgmux accept. */
    private static Integer id(IniEntry entry, ConversionTarget out) {
        boolean isPeerId = entry.section().equals("pgbouncer");
        String text = isPeerId ? entry.value() : entry.key();
        int id;
        try {
            id = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            out.error(entry.where() + ": " + (isPeerId ? "peer_id must be an integer" : "a [peers] key must be a "
                    + "peer id") + ", got '" + text + "'");
            return null;
        }
        if (id < 0 || id > PGBOUNCER_MAX_PEER_ID) {
            out.error(entry.where() + ": peer id must be 0.." + PGBOUNCER_MAX_PEER_ID + ", got " + id);
            return null;
        }
        if (id > FleetSettings.MAX_PEER_ID) {
            out.error(entry.where() + ": peer id " + id + " is above pgmux's " + FleetSettings.MAX_PEER_ID
                    + ": its cancel keys carry the id in 8 bits; number the peers 1.." + FleetSettings.MAX_PEER_ID);
            return null;
        }
        return id;
    }

    /** {@code HOST:PORT} of one peer, or null when it is left out or wrong (reported to {@code out}). */
    private static String address(IniEntry peer, int id, boolean isSelf, ConversionTarget out) {
        Map<String, String> pairs = ConnectionString.parseOrReport(peer, out);
        if (pairs == null) {
            return null;
        }
        String host = null;
        Integer port = DEFAULT_PORT;
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            switch (pair.getKey()) {
                case "host" -> host = pair.getValue().strip();
                case "port" -> port = port(peer, id, pair.getValue(), out);
                case "pool_size" -> out.warn(peer.where() + ": peer " + id + ": pool_size is ignored: pgmux "
                        + "forwards each cancel request on a connection of its own");
                default -> out.error(peer.where() + ": peer " + id + ": unknown key '" + pair.getKey() + "'");
            }
        }
        if (host == null || host.isEmpty() || host.startsWith("/") || host.startsWith("@")) {
            if (!isSelf) {
                out.warn(peer.where() + ": peer " + id + " is ignored: it is reached through a Unix socket, and "
                        + "pgmux forwards cancel requests over TCP only; list the TCP address of that replica");
            }
            return null;
        }
        if (port == null) {
            return null;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static Integer port(IniEntry peer, int id, String value, ConversionTarget out) {
        IniEntry one = new IniEntry(peer.section(), "peer " + id + " port", value, peer.where(), peer.file());
        Integer port = IniValues.integer(one, 1, out);
        if (port != null && port > 65535) {
            out.error(one, "must be 1..65535, got " + port);
            return null;
        }
        return port;
    }

    private static String firstListenAddress(ConversionTarget out) {
        Object listen = out.topValue("listen");
        if (listen instanceof List<?> list && !list.isEmpty()) {
            return String.valueOf(list.get(0));
        }
        return String.valueOf(listen);
    }
}
