// Secrets looked up with auth_query, kept for a bounded time and a bounded number of users.
package io.pgmux.server.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A time-limited cache of auth_query results, including "no such user" (a null secret), so a storm of logins
 * for one user costs one query per TTL. At most {@link #MAX_ENTRIES} entries: when full, expired entries are
 * dropped, and if that is not enough the whole cache is cleared (a burst of random user names must not grow memory
 * without bound). Thread-safe.
 */
final class AuthQueryCache {
    static final int MAX_ENTRIES = 10_000;

    /** A cached result; {@code secret} is null for a user the query did not find. */
    record Entry(String secret, long expiresAtNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier clock;

    AuthQueryCache(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
    }

    /** The unexpired entry for (database, user), or null. */
    Entry get(String database, String user) {
        Entry entry = entries.get(key(database, user));
        return entry != null && entry.expiresAtNanos() - clock.getAsLong() > 0 ? entry : null;
    }

    void put(String database, String user, String secret) {
        if (entries.size() >= MAX_ENTRIES) {
            long now = clock.getAsLong();
            entries.values().removeIf(e -> e.expiresAtNanos() - now <= 0);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key(database, user), new Entry(secret, clock.getAsLong() + ttlNanos));
    }

    int size() {
        return entries.size();
    }

    private static String key(String database, String user) {
        return database + '\0' + user;
    }
}
