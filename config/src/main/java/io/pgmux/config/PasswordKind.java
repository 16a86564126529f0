// Classifies a configured password: plain text, md5 hash or SCRAM-SHA-256 secret.
package io.pgmux.config;

import java.util.regex.Pattern;

/**
 * What form a configured client password takes, using the same conventions as PostgreSQL's {@code pg_authid}:
 * {@code md5} followed by 32 lower-case hex digits is an md5 hash, text starting with {@code SCRAM-SHA-256$} is a
 * SCRAM secret, anything else is the plain password.
 */
public enum PasswordKind {
    /** No password configured. */
    NONE,
    /** The password itself; works with every auth type. */
    PLAIN,
    /** {@code "md5" + md5(password + username)}; usable only with {@code auth_type: md5}. */
    MD5_HASH,
    /** {@code SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>}; usable only with {@code auth_type: scram-sha-256}. */
    SCRAM_SECRET;

    private static final Pattern MD5_HASH_FORM = Pattern.compile("md5[0-9a-f]{32}");
    static final String SCRAM_PREFIX = "SCRAM-SHA-256$";

    /** Classifies {@code password}; {@code null} gives {@link #NONE}. */
    public static PasswordKind of(String password) {
        if (password == null) {
            return NONE;
        }
        if (MD5_HASH_FORM.matcher(password).matches()) {
            return MD5_HASH;
        }
        return password.startsWith(SCRAM_PREFIX) ? SCRAM_SECRET : PLAIN;
    }
}
