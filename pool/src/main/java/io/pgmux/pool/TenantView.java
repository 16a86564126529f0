// One tenant of a fairly queued pool as SHOW TENANTS and /metrics show it.
package io.pgmux.pool;

/**
 * A snapshot of one tenant's figures; counts are since the pool started queueing fairly.
 *
 * @param tenant            the tenant's name ("other" for those beyond max_tenants)
 * @param waiting           its clients waiting now
 * @param active            backends its clients hold now
 * @param admitted          backends lent to its clients
 * @param shedQueueFull     clients refused because tenant_max_waiting of its clients were waiting
 * @param shedPredicted     clients refused at once because their wait deadline could not be met
 * @param shedDeadline      clients answered when their wait deadline passed while they waited
 * @param timedOut          clients that waited query_wait_timeout in vain
 * @param waits             how long its clients waited before they were lent a backend
 */
public record TenantView(String tenant, int waiting, int active, long admitted, long shedQueueFull,
        long shedPredicted, long shedDeadline, long timedOut, LatencyBuckets.Snapshot waits) {
}
