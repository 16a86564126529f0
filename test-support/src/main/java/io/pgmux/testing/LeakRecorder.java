// Collects the leak reports of Netty's resource leak detectors so tests can fail on them.
package io.pgmux.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * JVM-wide, thread-safe list of Netty leak reports, filled by the detectors that
 * {@link LeakDetectionExtension} installs.
 *
 * <p>Hazard: reports arrive only when a detector runs, which happens when a tracked resource of the same
 * type is allocated after the leaked one was garbage collected, so a report can show up during a later
 * test. {@link LeakDetectionExtension} forces that to happen at the end of each test.
 */
public final class LeakRecorder {

    private static final List<String> REPORTS = new ArrayList<>(); // guarded by itself

    private LeakRecorder() {
    }

    /** Adds one report; called by the detectors, and by nothing else in normal use. */
    public static void record(String report) {
        synchronized (REPORTS) {
            REPORTS.add(report);
        }
    }

    /** Returns the reports recorded so far and forgets them. */
    public static List<String> drain() {
        synchronized (REPORTS) {
            List<String> copy = List.copyOf(REPORTS);
            REPORTS.clear();
            return copy;
        }
    }
}
