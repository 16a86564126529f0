package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that does not read must not make pgmux buffer the backend's whole answer. */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BackpressureIntegrationTest {

    @Test
    void slowReaderStopsTheBackendInsteadOfFillingMemory() throws Exception {
        assertThat(ByteBufAllocator.DEFAULT).isInstanceOf(ByteBufAllocatorMetricProvider.class);
        ByteBufAllocatorMetricProvider allocator = (ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT;
        try (TestProxy proxy = TestProxy.start("session", 2); RawClient raw = new RawClient(proxy.port())) {
            raw.socket.setReceiveBufferSize(64 * 1024);
            raw.sendStartup(proxy.pg.user(), proxy.pg.database());
            RawClient.Message auth = raw.read();
            byte[] salt = java.util.Arrays.copyOfRange(auth.body(), 4, 8);
            raw.sendTyped('p', (io.pgmux.protocol.auth.Md5Password.clientResponse(proxy.pg.user(),
                    proxy.pg.password(), salt) + "\0").getBytes(StandardCharsets.UTF_8));
            raw.readUntil('Z');
            long before = allocator.metric().usedDirectMemory() + allocator.metric().usedHeapMemory();
            // About 400 MB of rows: far more than pgmux may hold for one client.
            raw.sendQuery("SELECT repeat('x', 100000) FROM generate_series(1, 4000)");
            Thread.sleep(3000); // the client reads nothing meanwhile
            long during = allocator.metric().usedDirectMemory() + allocator.metric().usedHeapMemory();
            assertThat(during - before).as("bytes pgmux buffered for a client that does not read")
                    .isLessThan(64L * 1024 * 1024);
            long rows = 0;
            RawClient.Message m;
            while ((m = raw.read()).type() != 'Z') {
                if (m.type() == 'D') {
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(4000);
        }
    }
}
