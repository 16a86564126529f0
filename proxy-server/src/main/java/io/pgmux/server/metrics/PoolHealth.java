// The per-pool gauges an SRE alerts on: how long the oldest client has waited, and how full the pool is.
package io.pgmux.server.metrics;

import io.pgmux.pool.PoolLimits;
import io.pgmux.pool.PoolStats;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * PgBouncer's maxwait as {@code pgmux_pool_wait_oldest_seconds}, and {@code pgmux_pool_utilization}: the backends
 * lent to clients over the backends the pool may open (1 means every further client queues). Both are read from
 * the scrape's snapshot of the pool.
 */
final class PoolHealth {

    private PoolHealth() {
    }

    static void gauges(Families f, Labels labels, PoolStats stats, PoolLimits limits, long oldestWaitNanos) {
        f.gauge("pgmux_pool_wait_oldest_seconds", "Age of the oldest client waiting for a backend (PgBouncer maxwait)",
                oldestWaitNanos / 1e9, labels);
        f.gauge("pgmux_pool_utilization", "Backends lent to clients over pool_size_max (1 = further clients queue)",
                limits.maxSize() == 0 ? 0 : (double) stats.active() / limits.maxSize(), labels);
    }
}
