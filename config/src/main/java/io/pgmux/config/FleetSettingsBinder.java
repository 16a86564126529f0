// Binds the fleet keys (shutdown_grace, so_reuseport, peer_id, peers, fleet_max_db_connections, warmup).
package io.pgmux.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the top-level fleet keys; a peer list must name this replica, and peer ids must fit in a cancel key. */
final class FleetSettingsBinder {

    private FleetSettingsBinder() {
    }

    static FleetSettings bind(SectionReader root) {
        Duration grace = root.duration("shutdown_grace", Duration.ZERO, true);
        boolean reuseport = root.choice("so_reuseport", false, FleetSettingsBinder::bool);
        Integer peerId = root.optionalInteger("peer_id", 0, FleetSettings.MAX_PEER_ID);
        Map<Integer, HostPort> peers = peers(root.node().section("peers"));
        if (!peers.isEmpty() && peerId == null) {
            throw ConfigException.at(root.originOf("peer_id"), "is required when peers are listed");
        }
        if (peerId != null && !peers.isEmpty() && !peers.containsKey(peerId)) {
            throw ConfigException.at(root.originOf("peer_id"), "peers has no entry for peer_id " + peerId);
        }
        int budget = root.integer("fleet_max_db_connections", 0, 0, Integer.MAX_VALUE);
        Duration warmup = root.duration("warmup", FleetSettings.DEFAULT_WARMUP, true);
        return new FleetSettings(grace, reuseport, peerId == null || peers.isEmpty() ? 0 : peerId, peers, budget,
                warmup);
    }

    /** {@code peers: {1: host:port, 2: host:port}}, keyed by peer id. */
    private static Map<Integer, HostPort> peers(ConfigNode section) {
        Map<Integer, HostPort> peers = new LinkedHashMap<>();
        SectionReader r = new SectionReader(section);
        for (String key : section.keys()) {
            int id = IntegerValues.parse(key, section.pathOf(key) + " (peer id)", 0, FleetSettings.MAX_PEER_ID);
            HostPort address = r.hostPort(key, null);
            if (address == null) {
                throw ConfigException.at(section.pathOf(key), "must be the peer's address, host:port");
            }
            peers.put(id, address);
        }
        return peers;
    }

    private static boolean bool(String text, String where) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw ConfigException.at(where, "must be true or false, got '" + text + "'");
        };
    }
}
