package io.pgmux.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
class StartupPreloadTest {

    @AfterEach
    void restore() {
        System.clearProperty(ProcessDefaults.LEAK_DETECTION_PROPERTY);
        System.clearProperty(ProcessDefaults.JFR_EVENTS_PROPERTY);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    @Timeout(30)
    void theProcessDefaultsAreInPlaceOnceThePreloadIsAwaited() throws Exception {
        System.clearProperty(ProcessDefaults.LEAK_DETECTION_PROPERTY);
        System.clearProperty(ProcessDefaults.JFR_EVENTS_PROPERTY);

        StartupPreload.start().await();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
        assertThat(System.getProperty(ProcessDefaults.JFR_EVENTS_PROPERTY)).isEqualTo("false");
    }

    @Test
    void aCommandBuiltWithoutAPreloadWaitsForNothing() throws Exception {
        long start = System.nanoTime();

        StartupPreload.NONE.await();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
}
