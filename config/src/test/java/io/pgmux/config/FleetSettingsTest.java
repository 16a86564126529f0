// The fleet keys: shutdown_grace, so_reuseport, peer_id and peers.
package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSettingsTest {

    private static final String BASE = """
            databases:
              app:
                host: db.internal
            users:
              app:
                password: secret
            """;

    @Test
    void aLonePgmuxByDefault() {
        FleetSettings fleet = ConfigLoader.fromYaml(BASE).fleet();
        assertThat(fleet).isEqualTo(FleetSettings.defaults());
        assertThat(fleet.shutdownGrace()).isZero();
        assertThat(fleet.soReuseport()).isFalse();
        assertThat(fleet.hasPeers()).isFalse();
        assertThat(fleet.maxDbConnections()).isZero();
        assertThat(fleet.warmup()).isEqualTo(FleetSettings.DEFAULT_WARMUP).isPositive();
    }

    @Test
    void readsEveryKey() {
        FleetSettings fleet = ConfigLoader.fromYaml(BASE + """
                shutdown_grace: 15s
                so_reuseport: true
                peer_id: 2
                peers:
                  1: 10.0.0.1:6432
                  2: pgmux-1.pgmux:6432
                fleet_max_db_connections: 90
                warmup: 0s
                """).fleet();
        assertThat(fleet.shutdownGrace()).isEqualTo(Duration.ofSeconds(15));
        assertThat(fleet.soReuseport()).isTrue();
        assertThat(fleet.peerId()).isEqualTo(2);
        assertThat(fleet.maxDbConnections()).isEqualTo(90);
        assertThat(fleet.warmup()).isZero();
        assertThat(fleet.peers()).containsExactly(Map.entry(1, new HostPort("10.0.0.1", 6432)),
                Map.entry(2, new HostPort("pgmux-1.pgmux", 6432)));
    }

    @Test
    void peersNeedThisReplicasId() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "peers:\n  1: a:6432\n"))
                .hasMessage("peer_id: is required when peers are listed");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "peer_id: 3\npeers:\n  1: a:6432\n"))
                .hasMessageContaining("peers has no entry for peer_id 3");
    }

    @Test
    void peerIdsFitInACancelKey() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "peer_id: 256\n"))
                .hasMessageContaining("must be 0..255, got 256");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "peer_id: 1\npeers:\n  256: a:6432\n  1: b:6432\n"))
                .hasMessageContaining("peers.256 (peer id): must be 0..255, got 256");
    }

    @Test
    void peerIdsStartAtZeroLikeStatefulSetOrdinalsAndComeFromTheEnvironment(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pgmux.yaml"),
                BASE + "peers:\n  0: pgmux-0.pgmux:6432\n  1: pgmux-1.pgmux:6432\n");
        assertThat(ConfigLoader.load(file, Map.of("PGMUX_PEER_ID", "0"), null).fleet().peerId()).isZero();
        FleetSettings fleet = ConfigLoader.load(file, Map.of("PGMUX_PEER_ID", "1"), null).fleet();
        assertThat(fleet.peerId()).isEqualTo(1);
        assertThat(fleet.hasPeers()).isTrue();
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "so_reuseport: maybe\n"))
                .hasMessageContaining("so_reuseport: must be true or false, got 'maybe'");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "shutdown_grace: -1s\n"))
                .hasMessageContaining("shutdown_grace");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(BASE + "peer_id: 1\npeers:\n  1: nowhere\n"))
                .hasMessageContaining("peers.1");
    }
}
