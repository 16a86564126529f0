// The SCRAM-SHA-256 primitives: HMAC, SHA-256, Hi (PBKDF2), XOR, nonces and base64.
package io.pgmux.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless helpers shared by the SCRAM client, server and secret.
 *
 * <p>Every login runs several HMACs, a digest and draws a nonce. Looking a {@code Mac} or {@code MessageDigest} up
 * through the JCA provider list costs more than the hash itself: so each thread (an event loop) keeps its own
 * instances. Nonces and salts come from {@link ThreadRandom}.
 */
final class ScramCrypto {

    static final int KEY_LENGTH = 32;
    private static final String HMAC = "HmacSHA256";
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> newInstance(() -> Mac.getInstance(HMAC)));
    private static final ThreadLocal<MessageDigest> SHA256 =
            ThreadLocal.withInitial(() -> newInstance(() -> MessageDigest.getInstance("SHA-256")));

    private ScramCrypto() {
    }

    /** HMAC-SHA-256 of {@code data} under {@code key}. */
    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = MAC.get();
            // HMAC pads keys with zeros, so an empty key equals a one-zero-byte key; the JDK rejects empty keys.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    /** RFC 5802 Hi(): PBKDF2 with HMAC-SHA-256 and one output block. */
    static byte[] hi(byte[] password, byte[] salt, int iterations) {
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1; // INT(1): the first and only block
        byte[] previous = hmac(password, block);
        byte[] result = previous.clone();
        for (int i = 1; i < iterations; i++) {
            previous = hmac(password, previous);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= previous[j];
            }
        }
        return result;
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /** A fresh random nonce: 18 random bytes in base64, which contains no comma. */
    static String newNonce() {
        byte[] raw = new byte[18];
        ThreadRandom.get().nextBytes(raw);
        return base64(raw);
    }

    static byte[] randomSalt(int length) {
        byte[] salt = new byte[length];
        ThreadRandom.get().nextBytes(salt);
        return salt;
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /** Decodes base64, turning malformed input into a {@link ScramException} naming {@code what}. */
    static byte[] fromBase64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ScramException(what + " is not valid base64");
        }
    }

    /** The password bytes as PostgreSQL hashes them for ASCII passwords (no SASLprep, see ScramClient). */
    static byte[] passwordBytes(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    private interface JcaLookup<T> {
        T get() throws GeneralSecurityException;
    }

    private static <T> T newInstance(JcaLookup<T> lookup) {
        try {
            return lookup.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 or HmacSHA256 is missing from this JDK", e);
        }
    }

    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
