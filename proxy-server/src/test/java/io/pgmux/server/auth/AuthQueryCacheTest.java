package io.pgmux.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthQueryCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AuthQueryCache cache = new AuthQueryCache(Duration.ofSeconds(60), now::get);

    @Test
    void entriesExpireAfterTheTtl() {
        cache.put("db", "alice", "SCRAM-SHA-256$...");
        cache.put("db", "ghost", null);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.get("db", "alice").secret()).isEqualTo("SCRAM-SHA-256$...");
        assertThat(cache.get("db", "ghost")).as("unknown users are cached too").isNotNull();
        assertThat(cache.get("db", "ghost").secret()).isNull();
        assertThat(cache.get("other_db", "alice")).isNull();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.get("db", "alice")).isNull();
    }

    @Test
    void sizeIsBounded() {
        for (int i = 0; i < AuthQueryCache.MAX_ENTRIES + 500; i++) {
            cache.put("db", "user" + i, null);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(AuthQueryCache.MAX_ENTRIES);
        assertThat(cache.get("db", "user" + (AuthQueryCache.MAX_ENTRIES + 499))).isNotNull();
    }
}
