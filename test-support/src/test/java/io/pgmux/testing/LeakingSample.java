// Sample test classes run only through the JUnit test kit by LeakDetectionExtensionTest.
package io.pgmux.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** Holds sample classes that must never run as part of the normal suite. */
final class LeakingSample {

    /** Set only while LeakDetectionExtensionTest runs the samples. */
    static volatile boolean requested;

    private LeakingSample() {
    }

    static boolean requested() {
        return requested;
    }

    /** Leaks one buffer on purpose. */
    @DetectLeaks
    @EnabledIf("io.pgmux.testing.LeakingSample#requested")
    static final class Leaks {
        @Test
        void dropsABufferWithoutReleasingIt() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(32);
            buffer.writeLong(42);
            // No release: the extension must fail this test.
        }
    }

    /** Releases everything it allocates. */
    @DetectLeaks
    @EnabledIf("io.pgmux.testing.LeakingSample#requested")
    static final class Clean {
        @Test
        void releasesItsBuffer() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(32);
            buffer.writeLong(42);
            buffer.release();
        }
    }
}
