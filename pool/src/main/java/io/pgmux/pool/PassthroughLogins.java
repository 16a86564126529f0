// Backend credentials learnt from clients' own logins, for users whose password pgmux does not know.
package io.pgmux.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What pgmux needs to log in to PostgreSQL as a user whose plain password it never sees (auth_query users, and
 * configured users with only a SCRAM secret or md5 hash): the SCRAM ClientKey and ServerKey recovered from the
 * user's last successful SCRAM login to pgmux, or the md5 hash PostgreSQL stores. The latest login wins, so a
 * password changed in PostgreSQL takes effect with the first client that logs in with the new one.
 *
 * <p>Thread-safe. Hazard: the entries are as good as passwords against the server; they live in memory only and
 * are never logged.
 */
public final class PassthroughLogins {

    /** SCRAM keys of one user; arrays are not copied, callers hand over fresh ones. */
    record ScramKeys(byte[] clientKey, byte[] serverKey) {
    }

    private final Map<String, ScramKeys> scramKeys = new ConcurrentHashMap<>();
    private final Map<String, String> md5Secrets = new ConcurrentHashMap<>();

    /** Records the keys of {@code user}'s successful SCRAM login. */
    public void putScramKeys(String user, byte[] clientKey, byte[] serverKey) {
        scramKeys.put(user, new ScramKeys(clientKey.clone(), serverKey.clone()));
    }

    /** Records the {@code md5...} hash PostgreSQL stores for {@code user}. */
    public void putMd5Secret(String user, String md5Secret) {
        md5Secrets.put(user, md5Secret);
    }

    ScramKeys scramKeys(String user) {
        return scramKeys.get(user);
    }

    String md5Secret(String user) {
        return md5Secrets.get(user);
    }
}
