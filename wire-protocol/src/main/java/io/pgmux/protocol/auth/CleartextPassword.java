// Checks a password a client sent in clear against whatever form of it is stored.
package io.pgmux.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Verifies the answer to AuthenticationCleartextPassword against a plain password, an md5 secret
 * ({@code md5<hex>}) or a SCRAM-SHA-256 secret, as PostgreSQL's {@code password} method does. Every comparison
 * is constant-time. Hazard: the password arrives in clear, so callers offer this method only over TLS.
 */
public final class CleartextPassword {
    private static final int MAX_PASSWORD_LENGTH = 1000;

    private CleartextPassword() {
    }

    /**
     * Whether {@code password} is {@code user}'s password given the stored form; null arguments give false.
     *
     * @param stored plain password, {@code md5<32 hex>} or {@code SCRAM-SHA-256$...}
     */
    public static boolean verify(String user, String stored, String password) {
        if (user == null || stored == null || password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return false;
        }
        if (ScramSecret.looksLikeSecret(stored)) {
            ScramSecret secret = ScramSecret.parse(stored);
            ScramSecret offered = ScramSecret.fromPassword(password, secret.salt(), secret.iterations());
            // Both keys are compared, each in constant time, before the result is combined.
            boolean storedKey = MessageDigest.isEqual(offered.storedKey(), secret.storedKey());
            boolean serverKey = MessageDigest.isEqual(offered.serverKey(), secret.serverKey());
            return storedKey & serverKey;
        }
        String expected = stored;
        String given = password;
        if (stored.length() == 35 && stored.startsWith("md5")) {
            given = Md5Password.storedSecret(user, password);
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
