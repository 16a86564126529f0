// Counts of errors sent to clients by SQLSTATE class, recorded without locks or allocation.
package io.pgmux.server.metrics;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/**
 * One counter per SQLSTATE class (the first two characters, [0-9A-Z]{2}, so at most 1,296 label values and in
 * practice a dozen). A class's adder is created on its first error (one allocation per class for the life of the
 * server); every later error of that class is an array read and an add. Malformed codes count under class "??".
 */
final class ErrorClassCounts {
    private static final int RADIX = 36;
    private static final int UNKNOWN = RADIX * RADIX;
    private static final byte FIELD_CODE = 'C';

    private final AtomicReferenceArray<LongAdder> counts = new AtomicReferenceArray<>(UNKNOWN + 1);

    void record(String sqlState) {
        if (sqlState == null || sqlState.length() < 2) {
            increment(UNKNOWN);
        } else {
            increment(index(sqlState.charAt(0), sqlState.charAt(1)));
        }
    }

    /** Finds the 'C' field of an ErrorResponse frame (type byte, length, then fields) with absolute gets. */
    void record(ByteBuf frame) {
        int end = frame.writerIndex();
        int i = frame.readerIndex() + 5;
        while (i < end) {
            byte field = frame.getByte(i++);
            if (field == 0) {
                break;
            }
            if (field == FIELD_CODE && i + 1 < end) {
                increment(index((char) frame.getByte(i), (char) frame.getByte(i + 1)));
                return;
            }
            int nul = frame.indexOf(i, end, (byte) 0);
            if (nul < 0) {
                break;
            }
            i = nul + 1;
        }
        increment(UNKNOWN);
    }

    /** Calls {@code sink} with each class seen so far and its count; allocates, for the scrape only. */
    void forEach(ObjLongConsumer<String> sink) {
        for (int i = 0; i <= UNKNOWN; i++) {
            LongAdder adder = counts.get(i);
            if (adder != null) {
                sink.accept(name(i), adder.sum());
            }
        }
    }

    private void increment(int index) {
        LongAdder adder = counts.get(index);
        if (adder == null) {
            counts.compareAndSet(index, null, new LongAdder());
            adder = counts.get(index);
        }
        adder.increment();
    }

    private static int index(char a, char b) {
        int hi = Character.digit(a, RADIX);
        int lo = Character.digit(b, RADIX);
        return hi < 0 || lo < 0 ? UNKNOWN : hi * RADIX + lo;
    }

    private static String name(int index) {
        if (index == UNKNOWN) {
            return "??";
        }
        return ("" + Character.forDigit(index / RADIX, RADIX) + Character.forDigit(index % RADIX, RADIX))
                .toUpperCase(java.util.Locale.ROOT);
    }
}
