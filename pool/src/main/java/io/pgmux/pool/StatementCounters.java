// Counters of the prepared-statement cache of one pool's server connections.
package io.pgmux.pool;

import java.util.concurrent.atomic.LongAdder;

/**
 * How the server connections of one pool served clients' named prepared statements: a hit found the statement on
 * the server already, a miss prepared it there (one Parse), an eviction closed the least recently used one. Bumped
 * from any event loop without locks; read by metrics.
 */
public final class StatementCounters {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public void hit() {
        hits.increment();
    }

    public void miss() {
        misses.increment();
    }

    public void evicted() {
        evictions.increment();
    }

    public long hits() {
        return hits.sum();
    }

    /** Statements prepared on servers: every miss sends one Parse. */
    public long misses() {
        return misses.sum();
    }

    public long evictions() {
        return evictions.sum();
    }
}
