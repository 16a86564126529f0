package io.pgmux.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, bounded, for a condition that other threads or processes make true. */
public final class Await {
    private Await() {
    }

    /**
     * Returns once {@code condition} holds, checking every 10 ms; fails the test naming {@code what} when it still
     * does not after {@code max}.
     */
    public static void until(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + max.toMillis() + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }
}
