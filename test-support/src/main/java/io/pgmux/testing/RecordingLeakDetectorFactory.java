// A Netty leak detector factory whose detectors also hand every report to LeakRecorder.
package io.pgmux.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/** Creates {@link RecordingLeakDetector}s, so that leak reports become test failures. */
final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
            long maxActive) {
        return new RecordingLeakDetector<>(resource, samplingInterval);
    }

    /** A detector that records reports in {@link LeakRecorder} and still logs them as Netty does. */
    static final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

        RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        /** Netty skips reporting when its logger is silent; tests must see leaks regardless of logging. */
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LeakRecorder.record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                    + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LeakRecorder.record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (no access records; raise io.netty.leakDetection.level to see where).");
            super.reportUntracedLeak(resourceType);
        }
    }
}
