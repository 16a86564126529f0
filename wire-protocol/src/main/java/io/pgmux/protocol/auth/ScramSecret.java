// A SCRAM-SHA-256 verifier as PostgreSQL stores it in pg_authid.rolpassword.
package io.pgmux.protocol.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a server needs to check a SCRAM-SHA-256 login without knowing the password: iteration count,
 * salt, StoredKey and ServerKey. Its text form is PostgreSQL's
 * {@code SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>}.
 *
 * <p>The arrays are copied on the way in and out, so an instance is immutable. Hazard: anyone holding
 * the StoredKey and a captured exchange can impersonate the user to this verifier, and the ServerKey lets
 * one impersonate the server: treat the text form like a password.
 *
 * @param iterations PBKDF2 iteration count, at least 1
 * @param salt       non-empty salt
 * @param storedKey  H(ClientKey), 32 bytes
 * @param serverKey  HMAC(SaltedPassword, "Server Key"), 32 bytes
 */
public record ScramSecret(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    private static final String PREFIX = "SCRAM-SHA-256$";
    private static final int DEFAULT_ITERATIONS = 4096;
    private static final int DEFAULT_SALT_LENGTH = 16;
    private static final int MAX_TEXT_LENGTH = 1024;

    /**
     * Validates and copies the components.
     *
     * @throws IllegalArgumentException if iterations &lt; 1, the salt is empty or a key is not 32 bytes
     */
    public ScramSecret {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1");
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt must not be empty");
        }
        if (storedKey.length != ScramCrypto.KEY_LENGTH || serverKey.length != ScramCrypto.KEY_LENGTH) {
            throw new IllegalArgumentException("StoredKey and ServerKey must be 32 bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /**
     * Parses PostgreSQL's text form.
     *
     * @throws ScramException if {@code text} is null, too long or not of that form
     */
    public static ScramSecret parse(String text) {
        if (!looksLikeSecret(text) || text.length() > MAX_TEXT_LENGTH) {
            throw new ScramException("not a SCRAM-SHA-256 secret");
        }
        String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 2) {
            throw new ScramException("SCRAM secret must have the form iterations:salt$StoredKey:ServerKey");
        }
        String[] iterationsAndSalt = parts[0].split(":", -1);
        String[] keys = parts[1].split(":", -1);
        if (iterationsAndSalt.length != 2 || keys.length != 2) {
            throw new ScramException("SCRAM secret must have the form iterations:salt$StoredKey:ServerKey");
        }
        int iterations = ScramMessage.positiveInt(iterationsAndSalt[0], "SCRAM secret iteration count");
        try {
            return new ScramSecret(iterations,
                    ScramCrypto.fromBase64(iterationsAndSalt[1], "SCRAM secret salt"),
                    ScramCrypto.fromBase64(keys[0], "SCRAM secret StoredKey"),
                    ScramCrypto.fromBase64(keys[1], "SCRAM secret ServerKey"));
        } catch (IllegalArgumentException e) {
            throw new ScramException("invalid SCRAM secret: " + e.getMessage());
        }
    }

    /** Derives the secret PostgreSQL would store for {@code password} (ASCII; no SASLprep, see ScramClient). */
    public static ScramSecret fromPassword(String password, byte[] salt, int iterations) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1");
        }
        byte[] saltedPassword = ScramCrypto.hi(ScramCrypto.passwordBytes(password), salt, iterations);
        byte[] storedKey = ScramCrypto.sha256(ScramCrypto.hmac(saltedPassword, "Client Key"));
        byte[] serverKey = ScramCrypto.hmac(saltedPassword, "Server Key");
        return new ScramSecret(iterations, salt, storedKey, serverKey);
    }

    /** Derives a secret with a random 16-byte salt and 4096 iterations, PostgreSQL's defaults. */
    public static ScramSecret fromPassword(String password) {
        return fromPassword(password, ScramCrypto.randomSalt(DEFAULT_SALT_LENGTH), DEFAULT_ITERATIONS);
    }

    /** Whether {@code text} claims to be a SCRAM-SHA-256 secret (its prefix only; null gives false). */
    public static boolean looksLikeSecret(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramSecret that
                && iterations == that.iterations
                && Arrays.equals(salt, that.salt)
                && Arrays.equals(storedKey, that.storedKey)
                && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey), Arrays.hashCode(serverKey));
    }

    /** The text form, exactly as PostgreSQL stores it; see the hazard in the class comment. */
    @Override
    public String toString() {
        return PREFIX + iterations + ":" + ScramCrypto.base64(salt) + "$"
                + ScramCrypto.base64(storedKey) + ":" + ScramCrypto.base64(serverKey);
    }
}
