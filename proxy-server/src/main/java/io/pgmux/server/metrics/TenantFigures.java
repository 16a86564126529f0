// The per-tenant series of one fairly queued pool: waiting, active, admitted, shed by reason, wait histogram.
package io.pgmux.server.metrics;

import io.pgmux.pool.Pool;
import io.pgmux.pool.TenantView;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * Adds to a scrape, for each tenant of a pool that queues fairly (pool.tenant_queueing: fair), series labelled with
 * the pool's and the tenant's names. The tenants are bounded by pool.max_tenants (the rest are "other"), so a client
 * choosing application_names cannot grow the number of series. Read from one snapshot per pool. Stateless.
 */
final class TenantFigures {
    private TenantFigures() {
    }

    static void add(Families f, Labels labels, Pool pool) {
        for (TenantView t : pool.tenants()) {
            Labels tenant = labels.add("tenant", t.tenant());
            f.gauge("pgmux_tenant_clients_waiting", "Clients of the tenant queued for a backend now", t.waiting(),
                    tenant);
            f.gauge("pgmux_tenant_servers_active", "Backends the tenant's clients hold now", t.active(), tenant);
            f.counter("pgmux_tenant_admitted", "Backends lent to the tenant's clients", t.admitted(), tenant);
            String shed = "Clients of the tenant refused or answered without a backend, by reason";
            f.counter("pgmux_tenant_shed", shed, t.shedQueueFull(), tenant.add("reason", "tenant_max_waiting"));
            f.counter("pgmux_tenant_shed", shed, t.shedPredicted(), tenant.add("reason", "deadline_predicted"));
            f.counter("pgmux_tenant_shed", shed, t.shedDeadline(), tenant.add("reason", "deadline_passed"));
            f.counter("pgmux_tenant_shed", shed, t.timedOut(), tenant.add("reason", "query_wait_timeout"));
            f.histogram("pgmux_tenant_wait_seconds", "How long the tenant's clients waited before a backend was lent",
                    t.waits(), tenant);
        }
    }
}
