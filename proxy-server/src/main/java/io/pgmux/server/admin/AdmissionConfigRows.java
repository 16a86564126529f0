// The SHOW CONFIG rows of the admission keys: tenant queueing, tenant key, weights, caps, default wait deadline.
package io.pgmux.server.admin;

import io.pgmux.config.AdmissionSettings;
import io.pgmux.config.PgmuxConfig;
import java.util.StringJoiner;

/** Adds the admission keys of the pool section to SHOW CONFIG, with their defaults. */
final class AdmissionConfigRows {
    private AdmissionConfigRows() {
    }

    static void add(PgmuxConfig c, MoreConfigRows.RowWriter out) {
        AdmissionSettings a = c.admission();
        AdmissionSettings d = AdmissionSettings.defaults();
        out.row("tenant_queueing", a.fair() ? "fair" : "fifo", d.fair() ? "fair" : "fifo");
        out.row("tenant_key", a.key().configName(), d.key().configName());
        StringJoiner weights = new StringJoiner(",");
        a.weights().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> weights.add(e.getKey() + "=" + e.getValue()));
        out.row("tenant_weights", weights.toString(), "");
        out.row("tenant_max_active", a.maxActive(), d.maxActive());
        out.row("tenant_max_waiting", a.maxWaiting(), d.maxWaiting());
        out.row("max_tenants", a.maxTenants(), d.maxTenants());
        out.row("default_wait_deadline", a.defaultWaitDeadline().toMillis() / 1000.0,
                d.defaultWaitDeadline().toMillis() / 1000.0);
    }
}
