package io.pgmux.server.cli;

import io.netty.util.ResourceLeakDetector;

/**
 * Settings of the running process that differ from the libraries' defaults, applied before anything else starts.
 *
 * <p>Netty's leak detector, at its default level, records a stack trace for about one buffer in a hundred and keeps
 * it until the buffer is released: measurable on the login path of a connection storm. The test suite runs every
 * test class at the PARANOID level instead (it tracks every buffer), so the production process turns it off unless
 * an operator asks for it with {@code -Dio.netty.leakDetection.level=...}.
 *
 * <p>Netty 4.2 emits JDK Flight Recorder events for buffer allocations whenever JFR is present in the JDK, recording
 * or not: its first buffers then load and register the event classes, about 80 JFR classes and their annotation
 * proxies on the first client's path (docs/BENCHMARKS.md, start-up after the fourth wave). They are off unless an
 * operator sets {@code -Dio.netty.jfr.enabled=true}. Netty reads the property once, when it first initialises
 * {@code PlatformDependent}, so it is set before any other Netty class is touched.
 */
final class ProcessDefaults {

    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    static final String JFR_EVENTS_PROPERTY = "io.netty.jfr.enabled";

    private ProcessDefaults() {
    }

    static void apply() {
        if (System.getProperty(JFR_EVENTS_PROPERTY) == null) {
            System.setProperty(JFR_EVENTS_PROPERTY, "false");
        }
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
