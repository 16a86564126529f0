// Proves that leaked Netty buffers are recorded and turn @DetectLeaks tests into failures.
package io.pgmux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class LeakDetectionExtensionTest {

    @BeforeEach
    void installAndForgetEarlierReports() {
        LeakDetectionExtension.installDetectors();
        LeakReportTrigger.thorough();
        LeakRecorder.drain();
    }

    @AfterEach
    void stopRunningSamples() {
        LeakingSample.requested = false;
    }

    @Test
    void recorderCatchesADeliberatelyLeakedBuffer() {
        leakOneBuffer();

        LeakReportTrigger.quick(); // what runs after every test
        List<String> reports = LeakRecorder.drain();

        assertThat(reports).isNotEmpty();
        assertThat(reports.get(0)).contains("LEAK").contains("ByteBuf").contains("leakOneBuffer");
    }

    @Test
    void detectorsAreRunAtParanoidLevel() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void releasedBuffersAreNotReported() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(16);
        buffer.writeInt(7);
        buffer.release();

        LeakReportTrigger.quick();

        assertThat(LeakRecorder.drain()).isEmpty();
    }

    @Test
    void annotatedTestThatLeaksFailsWithTheLeakRecord() {
        LeakingSample.requested = true;

        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeakingSample.Leaks.class))
                .execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(1).failed(1).succeeded(0));
        Throwable failure = tests.failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("LEAK")
                .hasMessageContaining("dropsABufferWithoutReleasingIt");
    }

    @Test
    void annotatedTestThatReleasesPasses() {
        LeakingSample.requested = true;

        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LeakingSample.Clean.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    private static void leakOneBuffer() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(64);
        buffer.writeLong(1);
        // Dropped without release() on purpose.
    }
}
