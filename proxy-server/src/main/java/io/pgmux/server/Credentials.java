package io.pgmux.server;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.UserConfig;
import io.pgmux.protocol.auth.ScramSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets clients prove they know. SCRAM secrets derived from plain passwords are computed once per user
 * (4096 PBKDF2 rounds are too costly to repeat per login in a connection storm).
 */
final class Credentials {
    private final PgmuxConfig config;
    private final Map<String, ScramSecret> scramSecrets = new ConcurrentHashMap<>();
    private final byte[] mockSalt = new byte[16];

    Credentials(PgmuxConfig config) {
        this.config = config;
        new SecureRandom().nextBytes(mockSalt);
    }

    /** The configured password or secret of {@code user}, or null if the user is unknown or has none. */
    String password(String user) {
        UserConfig u = config.user(user);
        return u == null ? null : u.password();
    }

    /**
     * The SCRAM secret of {@code user}. For an unknown user a made-up secret (stable per user name, so repeated
     * attempts look alike) lets the exchange run to the end and fail like a wrong password: no user enumeration.
     */
    ScramSecret scramSecret(String user) {
        String password = password(user);
        if (password == null || password.startsWith("md5") && password.length() == 35) {
            return scramSecrets.computeIfAbsent("\0unknown\0" + user, k -> ScramSecret.fromPassword(
                    randomPasswordFor(user), saltFor(user), 4096));
        }
        if (ScramSecret.looksLikeSecret(password)) {
            return scramSecrets.computeIfAbsent(user, k -> ScramSecret.parse(password));
        }
        return scramSecrets.computeIfAbsent(user, k -> ScramSecret.fromPassword(password));
    }

    private byte[] saltFor(String user) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(mockSalt);
            return Arrays.copyOf(sha.digest(user.getBytes(StandardCharsets.UTF_8)), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomPasswordFor(String user) {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b);
    }
}
