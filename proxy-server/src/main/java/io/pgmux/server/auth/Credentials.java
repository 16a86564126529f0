package io.pgmux.server.auth;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.UserConfig;
import io.pgmux.protocol.auth.ScramSecret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets clients prove they know: configured users (the {@code users} section and {@code auth_file}) and, for
 * anyone else, {@code auth_query} when the login's database or the global settings name an auth_user. SCRAM secrets
 * derived from configured plain passwords are computed once per user (4096 PBKDF2 rounds are too costly to repeat
 * per login in a connection storm).
 *
 * <p>Hazard: everything here is secret; nothing is logged. {@link #close()} stops the auth_query thread.
 */
public final class Credentials implements AutoCloseable {
    private static final int MOCK_ITERATIONS = 4096;

    private final PgmuxConfig config;
    private final AuthQuery authQuery;
    private final Map<String, ScramSecret> scramSecrets = new ConcurrentHashMap<>();
    private final byte[] mockKey = new byte[32];

    public Credentials(PgmuxConfig config) {
        this.config = config;
        this.authQuery = new AuthQuery(config);
        new SecureRandom().nextBytes(mockKey);
    }

    /** The configured password or secret of {@code user}, or null if the user is unknown or has none. */
    public String password(String user) {
        UserConfig u = config.user(user);
        return u == null ? null : u.password();
    }

    /**
     * The stored secret of {@code user}: the configured one, else (with auth_query) the one PostgreSQL stores for
     * the user on {@code database}'s server; completes with null for an unknown user, exceptionally when the
     * lookup fails. Completes at once unless a query must run.
     */
    public CompletableFuture<String> lookup(String database, String user) {
        String configured = password(user);
        if (configured != null || !authQuery.enabled(database)) {
            return CompletableFuture.completedFuture(configured);
        }
        return authQuery.lookup(database, user);
    }

    /**
     * Whether a login of {@code user} to {@code database}, missing from the configuration, has to be looked up (a
     * query may run): the database's own auth_user, else the global one, decides.
     */
    public boolean looksUp(String database, String user) {
        return password(user) == null && authQuery.enabled(database);
    }

    /** The SCRAM secret of a configured {@code user}; see {@link #scramSecret(String, String)}. */
    public ScramSecret scramSecret(String user) {
        return scramSecret(user, password(user));
    }

    /**
     * The SCRAM secret to check {@code user} against, given its stored form. For an unknown user (null) or an md5
     * hash, which SCRAM cannot use, a made-up secret (stable per user name, so repeated attempts look alike) lets
     * the exchange run to the end and fail like a wrong password: no user enumeration.
     */
    public ScramSecret scramSecret(String user, String stored) {
        if (stored == null || stored.startsWith("md5") && stored.length() == 35) {
            return mockSecret(user);
        }
        if (ScramSecret.looksLikeSecret(stored)) {
            return ScramSecret.parse(stored);
        }
        if (stored.equals(password(user))) {
            return scramSecrets.computeIfAbsent(user, k -> ScramSecret.fromPassword(stored));
        }
        return ScramSecret.fromPassword(stored);
    }

    /**
     * A secret nobody can log in with, derived from a random per-process key by HMAC: cheap (no PBKDF2) and nothing
     * is stored, so random user names can cost neither CPU nor memory.
     */
    private ScramSecret mockSecret(String user) {
        byte[] salt = Arrays.copyOf(hmac("salt\0" + user), 16);
        return new ScramSecret(MOCK_ITERATIONS, salt, hmac("stored\0" + user), hmac("server\0" + user));
    }

    private byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(mockKey, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        authQuery.close();
    }
}
