package io.pgmux.server.cli;

import io.netty.util.ResourceLeakDetector;

/**
 * Settings of the running process that differ from the libraries' defaults, applied before anything else starts.
 *
 * <p>Netty's leak detector, at its default level, records a stack trace for about one buffer in a hundred and keeps
 * it until the buffer is released: measurable on the login path of a connection storm. The test suite runs every
 * test class at the PARANOID level instead (it tracks every buffer), so the production process turns it off unless
 * an operator asks for it with {@code -Dio.netty.leakDetection.level=...}.
 */
final class ProcessDefaults {

    static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

    private ProcessDefaults() {
    }

    static void apply() {
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
