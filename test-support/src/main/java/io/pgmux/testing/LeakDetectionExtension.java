// JUnit extension that fails a test when Netty reports a leaked buffer during or before its end.
package io.pgmux.testing;

import io.netty.buffer.AbstractByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Netty leak reports into test failures. Usually applied through {@link DetectLeaks}.
 *
 * <p>Loading this class installs, once per JVM, a leak detector factory whose detectors record every
 * report in {@link LeakRecorder}, and sets the detection level to PARANOID. After each test it forces
 * pending reports ({@link LeakReportTrigger#quick}) and fails the test if any leak was recorded; after the class,
 * more thoroughly ({@link LeakReportTrigger#thorough}), failing the class.
 *
 * <p>Hazard: Netty creates the ByteBuf detector once, when {@code AbstractByteBuf} is initialized. If
 * any code in the JVM touched a ByteBuf before this class was loaded, that detector is Netty's own and
 * leaks cannot be recorded; {@link #beforeAll} then fails with an explanation. {@link LeakDetectorInstaller}
 * loads this class when the JUnit Platform starts, which prevents that unless a test engine is run
 * without the platform launcher.
 *
 * <p>Hazard: leaks found at the start of a class (left by tests without this extension) are printed
 * and discarded rather than blamed on this class. Netty reports a given leak trace only once per
 * detector, so an identical leak repeated by a later test from the same call path is not reported again.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    static {
        // Must run before AbstractByteBuf initializes its static detector; see the class comment.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingLeakDetectorFactory());
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    /**
     * Makes sure the recording detectors are installed; the work is done by this class's static
     * initializer, which runs at most once per JVM.
     */
    static void installDetectors() {
        // Intentionally empty: calling a static method is what triggers the static initializer.
    }

    /** Public for JUnit, which instantiates extensions reflectively. */
    public LeakDetectionExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID); // a test may have lowered it
        requireRecordingByteBufDetector();
        LeakReportTrigger.thorough();
        List<String> earlier = LeakRecorder.drain();
        if (!earlier.isEmpty()) {
            System.err.println("[pgmux test-support] leaks from before " + context.getDisplayName()
                    + " (not blamed on it):\n" + String.join("\n", earlier));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LeakReportTrigger.quick();
        failOnLeaks(context);
    }

    /** Once the class is done (its servers stopped), the thorough check: nothing it leaked goes unblamed. */
    @Override
    public void afterAll(ExtensionContext context) {
        LeakReportTrigger.thorough();
        failOnLeaks(context);
    }

    private static void failOnLeaks(ExtensionContext context) {
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty leak(s) reported by the end of "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    /** Fails loudly instead of silently missing every ByteBuf leak; see the class comment. */
    private static void requireRecordingByteBufDetector() {
        Object detector;
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            detector = field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // Netty moved the field; cannot check, so trust the installation order.
        }
        if (!(detector instanceof RecordingLeakDetectorFactory.RecordingLeakDetector)) {
            throw new IllegalStateException("Netty's ByteBuf leak detector was created before "
                    + LeakDetectionExtension.class.getSimpleName() + " was loaded, so buffer leaks cannot be"
                    + " detected in this JVM; apply @DetectLeaks to the test classes that run earlier.");
        }
    }
}
