package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pool logs in to PostgreSQL as a SCRAM role many times with one password: it derives the SCRAM keys (PBKDF2,
 * 4,096 HMACs, on the event loop) once, not per backend.
 */
@DetectLeaks
class BackendScramKeysIntegrationTest {

    @Test
    void manyBackendLoginsOneKeyDerivation() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("pool: {default_pool_size: 4}", "")) {
            Pool pool = bed.registry.pool("app", PoolTestBed.PG.user());
            List<ServerConnection> servers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                servers.add(bed.acquire(pool));
            }
            assertThat(servers).doesNotHaveDuplicates();
            assertThat(pool.backendScramKeys().derivations()).isEqualTo(1);
            for (ServerConnection server : servers) {
                pool.release(server, false);
            }
        }
    }
}
