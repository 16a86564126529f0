package io.pgmux.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgmux.pool.PoolKey;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.Severity;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Recording on the data path allocates nothing: a million recordings after warm-up allocate (almost) no bytes on
 * the recording thread, measured with the JVM's per-thread allocation counter. Locks are ruled out by construction
 * (adders and atomics only), which this test cannot observe; see the classes' comments.
 */
class HotPathAllocationTest {
    private static final int EVENTS = 1_000_000;

    @Test
    void sessionMetricsRecordWithoutAllocating() {
        PoolMeters meters = new PoolMeters(new PoolKey("app", "app"));
        ByteBuf error = untrackedError();
        try {
            record(meters, error, 10_000); // warm up: class loading, JIT, the adders' and the error class's cells
            long allocated = allocatedBytes(() -> record(meters, error, EVENTS));
            // A few hundred bytes of slack for JIT or safepoint bookkeeping; one allocation per event would be 16 MB+.
            assertThat(allocated).as("bytes allocated by %d recordings", EVENTS).isLessThan(4096);
            assertThat(meters.queryCount()).isEqualTo(EVENTS + 10_000);
            assertThat(meters.transactionCount()).isEqualTo(EVENTS + 10_000);
        } finally {
            error.release();
        }
    }

    @Test
    void errorClassIsReadFromTheFrame() {
        PoolMeters meters = new PoolMeters(new PoolKey("app", "app"));
        ByteBuf error = untrackedError();
        try {
            meters.errorSent(error);
            meters.errorSent("08P01");
            meters.errorSent("x");
            StringBuilder seen = new StringBuilder();
            meters.errors.forEach((cls, count) -> seen.append(cls).append('=').append(count).append(' '));
            assertThat(seen.toString().trim()).isEqualTo("08=1 42=1 ??=1");
            assertThat(error.readerIndex()).isZero();
        } finally {
            error.release();
        }
    }

    /** The tests run with paranoid leak detection, whose access records would allocate on every read. */
    private static ByteBuf untrackedError() {
        ByteBuf tracked = BackendMessages.errorResponse(ByteBufAllocator.DEFAULT, Severity.ERROR, "42P01", "missing");
        try {
            return Unpooled.wrappedBuffer(ByteBufUtil.getBytes(tracked));
        } finally {
            tracked.release();
        }
    }

    private static void record(SessionMetrics metrics, ByteBuf error, int events) {
        SessionTimer timer = new SessionTimer(SessionMetrics.NOOP);
        for (int i = 0; i < events; i++) {
            timer.requestArrived();
            timer.forwarded();
            timer.answered((i & 1) == 0);
            metrics.queryCompleted(i * 1000L, i * 900L);
            metrics.transactionCompleted(i * 2000L);
            metrics.errorSent(error);
        }
    }

    private static long allocatedBytes(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
