// PostgreSQL's md5 password authentication: stored secrets, client responses and their verification.
package io.pgmux.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The md5 scheme of PostgreSQL: the stored secret is {@code "md5" + md5hex(password + user)} and the
 * client answers a 4-byte salt with {@code "md5" + md5hex(md5hex(password + user) + salt)}.
 *
 * <p>Hazards: md5 is weak, and the stored secret alone is enough to log in (which is what lets a proxy
 * log in with it). A plain password that itself looks like an md5 secret ("md5" and 32 lowercase hex
 * digits) is taken as a secret, exactly as PostgreSQL does.
 */
public final class Md5Password {

    private static final String PREFIX = "md5";
    private static final int HEX_LENGTH = 32;
    private static final int SALT_LENGTH = 4;

    private Md5Password() {
    }

    /**
     * The PasswordMessage content a client sends for {@code password}.
     *
     * @throws IllegalArgumentException if the salt is not 4 bytes
     */
    public static String clientResponse(String user, String password, byte[] salt4) {
        return clientResponseFromStored(storedSecret(user, password), salt4);
    }

    /**
     * The same response computed from a stored {@code md5<hex>} secret instead of the plain password.
     *
     * @throws IllegalArgumentException if the secret is not of that form or the salt is not 4 bytes
     */
    public static String clientResponseFromStored(String storedMd5, byte[] salt4) {
        if (!isStoredSecret(storedMd5)) {
            throw new IllegalArgumentException("not an md5 secret: expected \"md5\" and 32 lowercase hex digits");
        }
        Objects.requireNonNull(salt4, "salt4");
        if (salt4.length != SALT_LENGTH) {
            throw new IllegalArgumentException("md5 salt must be 4 bytes, got " + salt4.length);
        }
        byte[] hex = storedMd5.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII);
        byte[] input = new byte[hex.length + SALT_LENGTH];
        System.arraycopy(hex, 0, input, 0, hex.length);
        System.arraycopy(salt4, 0, input, hex.length, SALT_LENGTH);
        return PREFIX + md5Hex(input);
    }

    /** The secret PostgreSQL stores for {@code user}'s {@code password}: {@code "md5" + md5hex(password + user)}. */
    public static String storedSecret(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        return PREFIX + md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code clientResponse} is the right answer to {@code salt4}, given either the plain
     * password or the stored md5 secret of {@code user}; compares in constant time. A null or
     * malformed response, or a salt that is not 4 bytes, gives false.
     */
    public static boolean verify(String user, String storedSecretOrPlainPassword, byte[] salt4, String clientResponse) {
        if (user == null || storedSecretOrPlainPassword == null || clientResponse == null
                || salt4 == null || salt4.length != SALT_LENGTH) {
            return false;
        }
        String secret = isStoredSecret(storedSecretOrPlainPassword)
                ? storedSecretOrPlainPassword
                : storedSecret(user, storedSecretOrPlainPassword);
        String expected = clientResponseFromStored(secret, salt4);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                clientResponse.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isStoredSecret(String text) {
        if (text == null || text.length() != PREFIX.length() + HEX_LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            // Lowercase only, as PostgreSQL writes and recognizes md5 secrets.
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String md5Hex(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }
}
