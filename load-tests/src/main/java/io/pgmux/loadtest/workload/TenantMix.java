// Which tenant each virtual function belongs to, and the wait deadline it states: for fair-queueing scenarios.
package io.pgmux.loadtest.workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the functions of a run between tenants by share: with shares noisy 20 and quiet 1, of every 21 functions
 * (by id) 20 are noisy and one is quiet, spread evenly, so that both arrive throughout the run. Each function
 * connects with its tenant as {@code application_name} and, when its tenant has one, the startup option
 * {@code -c pgmux.wait_deadline=Nms}.
 */
public record TenantMix(List<Tenant> tenants) {
    /** No tenants: every function is "pgmux-loadtest" and states no deadline. */
    public static final TenantMix NONE = new TenantMix(List.of());
    private static final String DEFAULT_APPLICATION = "pgmux-loadtest";

    /**
     * @param name               the tenant, sent as application_name
     * @param share              functions of this tenant per round of all shares, at least 1
     * @param waitDeadlineMillis the deadline its functions state; 0 for none
     */
    public record Tenant(String name, int share, long waitDeadlineMillis) {
        public Tenant {
            if (name == null || name.isBlank() || share < 1 || waitDeadlineMillis < 0) {
                throw new IllegalArgumentException("a tenant needs a name, a share of at least 1 and a deadline"
                        + " of 0 or more, got " + name + ", " + share + ", " + waitDeadlineMillis);
            }
        }
    }

    public TenantMix {
        tenants = List.copyOf(tenants);
    }

    /** The tenant of function {@code id}, or null when the mix is empty. */
    public Tenant tenantOf(long id) {
        if (tenants.isEmpty()) {
            return null;
        }
        int total = tenants.stream().mapToInt(Tenant::share).sum();
        // Spread each tenant's functions over the round instead of sending them back to back.
        long slot = Math.floorMod(id * 7919L, total);
        for (Tenant t : tenants) {
            if (slot < t.share()) {
                return t;
            }
            slot -= t.share();
        }
        throw new IllegalStateException("unreachable");
    }

    /** The startup parameters function {@code id} connects with. */
    public Map<String, String> startupParameters(long id) {
        Tenant t = tenantOf(id);
        Map<String, String> parameters = new HashMap<>();
        parameters.put("application_name", t == null ? DEFAULT_APPLICATION : t.name());
        if (t != null && t.waitDeadlineMillis() > 0) {
            parameters.put("options", "-c pgmux.wait_deadline=" + t.waitDeadlineMillis() + "ms");
        }
        return parameters;
    }
}
