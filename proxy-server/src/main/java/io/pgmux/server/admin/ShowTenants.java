// SHOW TENANTS: each tenant of each fairly queued pool, with its waiting and active clients and what became of them.
package io.pgmux.server.admin;

import io.pgmux.pool.Pool;
import io.pgmux.pool.TenantView;
import java.util.concurrent.TimeUnit;

/**
 * One row per tenant of each pool that queues fairly (pool.tenant_queueing: fair); none for first come, first
 * served pools. Counts are since the pool started queueing fairly; {@code avg_wait_us} is the mean wait of the
 * clients admitted (0 before the first). Read from one snapshot per pool.
 */
final class ShowTenants {
    private final ServerControl control;

    ShowTenants(ServerControl control) {
        this.control = control;
    }

    ResultTable tenants() {
        ResultTable t = new ResultTable().text("database", "user", "tenant")
                .number("cl_waiting", "sv_active", "admitted", "shed_tenant_max_waiting", "shed_deadline_predicted",
                        "shed_deadline_passed", "shed_query_wait_timeout", "avg_wait_us");
        for (Pool pool : control.pools().pools()) {
            for (TenantView v : pool.tenants()) {
                long count = v.waits().count();
                long avgWaitMicros = count == 0 ? 0 : TimeUnit.NANOSECONDS.toMicros(v.waits().sumNanos() / count);
                t.row(pool.key().database(), pool.key().user(), v.tenant(), v.waiting(), v.active(), v.admitted(),
                        v.shedQueueFull(), v.shedPredicted(), v.shedDeadline(), v.timedOut(), avgWaitMicros);
            }
        }
        return t;
    }
}
