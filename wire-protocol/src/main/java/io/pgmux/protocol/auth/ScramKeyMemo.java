// Remembers the SCRAM keys derived from one password, so that repeated logins skip the key derivation.
package io.pgmux.protocol.auth;

import java.util.Arrays;

/**
 * A SCRAM client derives its ClientKey and ServerKey from the password with PBKDF2 (4,096 HMACs at PostgreSQL's
 * default), the bulk of a login's cost on the client side, and on pgmux's event loop when it logs in to a backend.
 * The result depends only on the password, the salt and the iteration count, which PostgreSQL keeps per role, so a
 * pool that opens many backends for one user derives the keys once: this memo holds the last derivation and answers
 * again for the same three inputs. A changed password or verifier simply derives anew.
 *
 * <p>Hazard: the keys are as good as the password for logging in to that server; they live in memory only, as the
 * password does. Thread-safe (one immutable entry, replaced whole).
 */
public final class ScramKeyMemo {
    private volatile Entry last;
    private volatile int derivations;

    private record Entry(String password, byte[] salt, int iterations, byte[] clientKey, byte[] serverKey) {
    }

    /** ClientKey and ServerKey for {@code password}, derived at most once per salt and iteration count. */
    byte[][] keys(String password, byte[] salt, int iterations) {
        Entry entry = last;
        if (entry == null || entry.iterations() != iterations || !entry.password().equals(password)
                || !Arrays.equals(entry.salt(), salt)) {
            byte[] saltedPassword = ScramCrypto.hi(ScramCrypto.passwordBytes(password), salt, iterations);
            entry = new Entry(password, salt.clone(), iterations, ScramCrypto.hmac(saltedPassword, "Client Key"),
                    ScramCrypto.hmac(saltedPassword, "Server Key"));
            last = entry;
            derivations++;
        }
        return new byte[][] {entry.clientKey(), entry.serverKey()};
    }

    /** How many times keys were derived (not answered from the memo); for tests and diagnostics. */
    public int derivations() {
        return derivations;
    }
}
