// Test helper: an allocator that remembers every buffer it hands out so a test can prove all were released.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Unpooled heap allocator that records each buffer. Its buffers are not wrapped by Netty's leak detector, which
 * makes it cheap enough for hundreds of thousands of inputs; {@link #assertAllReleased} is an exact check instead of
 * the detector's garbage-collection-driven one.
 */
final class CountingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();

    CountingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return remember(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return remember(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf remember(ByteBuf buf) {
        allocated.add(buf);
        return buf;
    }

    int allocatedCount() {
        return allocated.size();
    }

    /** The capacity of every buffer allocated since the last {@link #assertAllReleased}, added up. */
    long allocatedCapacity() {
        return allocated.stream().mapToLong(ByteBuf::capacity).sum();
    }

    /** Fails unless every buffer allocated since the last call has reference count 0; then forgets them. */
    void assertAllReleased(Supplier<String> context) {
        for (ByteBuf buf : allocated) {
            assertThat(buf.refCnt()).as(context).isZero();
        }
        allocated.clear();
    }
}
