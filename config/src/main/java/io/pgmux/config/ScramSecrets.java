// Checks the shape of stored SCRAM-SHA-256 secrets as produced by PostgreSQL.
package io.pgmux.config;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (base64 parts, 32-byte keys), so a
 * truncated secret is reported at start-up rather than as a failed login later.
 */
final class ScramSecrets {

    private static final Pattern SECRET = Pattern.compile(
            "SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final int SHA_256_BYTES = 32;

    private ScramSecrets() {
    }

    static boolean isWellFormed(String secret) {
        Matcher m = SECRET.matcher(secret);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            return false;
        }
        try {
            Base64.Decoder decoder = Base64.getDecoder();
            return decoder.decode(m.group(2)).length > 0
                    && decoder.decode(m.group(3)).length == SHA_256_BYTES
                    && decoder.decode(m.group(4)).length == SHA_256_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
