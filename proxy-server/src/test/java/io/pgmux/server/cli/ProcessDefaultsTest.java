package io.pgmux.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@DetectLeaks
class ProcessDefaultsTest {

    @AfterEach
    void restore() {
        System.clearProperty(ProcessDefaults.LEAK_DETECTION_PROPERTY);
        System.clearProperty(ProcessDefaults.JFR_EVENTS_PROPERTY);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void theLeakDetectorIsOffInTheServingProcess() {
        System.clearProperty(ProcessDefaults.LEAK_DETECTION_PROPERTY);

        ProcessDefaults.apply();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void anOperatorsLeakDetectionLevelIsKept() {
        System.setProperty(ProcessDefaults.LEAK_DETECTION_PROPERTY, "paranoid");

        ProcessDefaults.apply();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void nettysFlightRecorderEventsAreOffInTheServingProcess() {
        System.clearProperty(ProcessDefaults.JFR_EVENTS_PROPERTY);

        ProcessDefaults.apply();

        assertThat(System.getProperty(ProcessDefaults.JFR_EVENTS_PROPERTY)).isEqualTo("false");
    }

    @Test
    void anOperatorsChoiceOfFlightRecorderEventsIsKept() {
        System.setProperty(ProcessDefaults.JFR_EVENTS_PROPERTY, "true");

        ProcessDefaults.apply();

        assertThat(System.getProperty(ProcessDefaults.JFR_EVENTS_PROPERTY)).isEqualTo("true");
    }
}
