// Makes Netty report leaked buffers now instead of whenever the next allocation happens to run the detector.
package io.pgmux.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Forces pending leak reports: garbage-collects so leaked buffers get enqueued as unreachable, then
 * allocates and releases tracked buffers, because a detector only drains its queue when it tracks a
 * new resource.
 *
 * <p>The JVM hands the references a collection cleared to their queues on a thread of its own, after the
 * collection: each round waits until a sentinel reference cleared by the same collection has been handed on
 * (Netty's leak records are weak references too), rather than sleeping a fixed time, and the rounds are repeated
 * because that thread follows no promised order. {@link #quick} runs after every test; {@link #thorough} once per
 * test class, so that a report the quick one missed is still blamed on the class that leaked.
 */
final class LeakReportTrigger {

    private static final int QUICK_ROUNDS = 2;
    private static final int THOROUGH_ROUNDS = 5;
    private static final long SENTINEL_WAIT_MILLIS = 200;
    private static final int ALLOCATIONS_PER_ROUND = 16;

    private LeakReportTrigger() {
    }

    /** After each test: two collections. */
    static void quick() {
        flush(QUICK_ROUNDS);
    }

    /** Before and after each test class. */
    static void thorough() {
        flush(THOROUGH_ROUNDS);
    }

    private static void flush(int rounds) {
        ByteBufAllocator[] allocators = {
            ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT
        };
        for (int round = 0; round < rounds; round++) {
            collect();
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

    /** A full collection, returning once the references it cleared have (very likely) reached their queues. */
    private static void collect() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(SENTINEL_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Reference.reachabilityFence(sentinel);
    }
}
