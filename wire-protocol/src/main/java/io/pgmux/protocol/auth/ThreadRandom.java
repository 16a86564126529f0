// A SecureRandom per thread, for the values every login draws (nonces, salts, cancel keys).
package io.pgmux.protocol.auth;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The JDK's default {@code SecureRandom} on Linux (NativePRNG) takes a process-wide lock and reads
 * {@code /dev/urandom} for every draw, and every login draws several times: so each thread (an event loop) keeps its
 * own generator. A DRBG seeded once per thread is as unpredictable as NativePRNG for nonces, salts and cancel keys.
 */
public final class ThreadRandom {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(ThreadRandom::newRandom);

    private ThreadRandom() {
    }

    /** This thread's generator; use it on this thread only. */
    public static SecureRandom get() {
        return RANDOM.get();
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    }
}
