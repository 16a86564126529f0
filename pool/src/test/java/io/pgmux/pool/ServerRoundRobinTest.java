// server_round_robin: the least recently used idle backend is lent first, whatever the client's loop.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerRoundRobinTest {
    private final FakePoolBed bed = new FakePoolBed();

    @AfterEach
    void close() {
        bed.close();
    }

    /** Three backends given back one after the other, a second apart: first, second, third. */
    private List<ServerConnection> threeReturnedInOrder(Pool pool) throws Exception {
        List<ServerConnection> servers = List.of(bed.acquire(pool), bed.acquire(pool), bed.acquire(pool));
        for (ServerConnection server : servers) {
            bed.clock.advance(Duration.ofSeconds(1));
            pool.release(server, false);
        }
        assertThat(pool.stats().idle()).isEqualTo(3);
        return servers;
    }

    @Test
    void withRoundRobinTheBackendIdleLongestIsLentFirstEvenOnAnotherLoop() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(3, Duration.ZERO).withRoundRobin(true));
        List<ServerConnection> servers = threeReturnedInOrder(pool);
        ServerConnection newest = servers.get(2);

        List<ServerConnection> lent = List.of(
                pool.acquire(newest.eventLoop()).get(5, TimeUnit.SECONDS),
                pool.acquire(newest.eventLoop()).get(5, TimeUnit.SECONDS),
                pool.acquire(newest.eventLoop()).get(5, TimeUnit.SECONDS));

        assertThat(lent).containsExactlyElementsOf(servers);
        assertThat(bed.backend.logins()).isEqualTo(3);
    }

    @Test
    void withRoundRobinEveryBackendTakesItsTurnUnderSerialLoad() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(3, Duration.ZERO).withRoundRobin(true));
        List<ServerConnection> servers = threeReturnedInOrder(pool);

        for (int round = 0; round < 2; round++) {
            for (ServerConnection expected : servers) {
                ServerConnection server = bed.acquire(pool);
                assertThat(server).isSameAs(expected);
                bed.clock.advance(Duration.ofSeconds(1));
                pool.release(server, false);
            }
        }
    }

    @Test
    void byDefaultTheMostRecentlyUsedBackendOnTheClientsLoopIsLent() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(3, Duration.ZERO));
        List<ServerConnection> servers = threeReturnedInOrder(pool);
        ServerConnection newest = servers.get(2);

        assertThat(pool.acquire(newest.eventLoop()).get(5, TimeUnit.SECONDS)).isSameAs(newest);
    }
}
