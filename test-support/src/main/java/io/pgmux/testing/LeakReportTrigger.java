// Makes Netty report leaked buffers now instead of whenever the next allocation happens to run the detector.
package io.pgmux.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Forces pending leak reports: garbage-collects so leaked buffers get enqueued as unreachable, then
 * allocates and releases tracked buffers, because a detector only drains its queue when it tracks a
 * new resource. Repeated a few times since the JVM enqueues references asynchronously.
 */
final class LeakReportTrigger {

    private static final int ROUNDS = 5;
    private static final int ALLOCATIONS_PER_ROUND = 16;
    private static final long PAUSE_MILLIS = 20;

    private LeakReportTrigger() {
    }

    /** Runs the detectors for ByteBuf after a few garbage collections. */
    static void flush() {
        ByteBufAllocator[] allocators = {
            ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT
        };
        for (int round = 0; round < ROUNDS; round++) {
            System.gc();
            pause();
            for (ByteBufAllocator allocator : allocators) {
                for (int i = 0; i < ALLOCATIONS_PER_ROUND; i++) {
                    ByteBuf heap = allocator.heapBuffer(8);
                    heap.release();
                    ByteBuf direct = allocator.directBuffer(8);
                    direct.release();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
