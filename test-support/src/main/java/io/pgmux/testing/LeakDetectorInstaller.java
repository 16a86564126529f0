// Installs the recording leak detectors when the JUnit Platform starts, before any test touches a buffer.
package io.pgmux.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Registered as a {@link LauncherSessionListener} service so that every test JVM with this library on
 * its class path loads {@link LeakDetectionExtension} before the first test class runs. That removes
 * the ordering hazard where a test without {@link DetectLeaks} initializes Netty's ByteBuf detector
 * first. It only installs the detectors; tests still fail on leaks only where the extension applies.
 */
public final class LeakDetectorInstaller implements LauncherSessionListener {

    /** Public for the service loader. */
    public LeakDetectorInstaller() {
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LeakDetectionExtension.installDetectors();
    }
}
