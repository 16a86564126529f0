// What one client brings to the wait queue besides its place in line: its tenant and its deadline.
package io.pgmux.pool;

/**
 * How a client asks for a backend. Made once per client (or when it changes its deadline), not per acquisition, so
 * that lending allocates nothing more than it did.
 *
 * @param tenant        the client's tenant (see {@code pool.tenant_key}); used only when the pool queues fairly
 * @param deadlineNanos how long the client will wait for a backend; 0 = no deadline (query_wait_timeout applies)
 */
public record Admission(String tenant, long deadlineNanos) {
    /** No tenant, no deadline: first come, first served up to query_wait_timeout. */
    public static final Admission NONE = new Admission("", 0);

    public Admission {
        tenant = tenant == null ? "" : tenant;
        if (deadlineNanos < 0) {
            throw new IllegalArgumentException("negative deadline " + deadlineNanos);
        }
    }

    public Admission withDeadline(long nanos) {
        return nanos == deadlineNanos ? this : new Admission(tenant, nanos);
    }
}
