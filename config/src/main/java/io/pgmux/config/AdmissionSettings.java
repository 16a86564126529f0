// How clients of one pool are admitted to a backend: fair queueing between tenants and wait deadlines.
package io.pgmux.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The admission keys of the {@code pool} section. With {@code fair} off (the default) clients wait first come, first
 * served, as they always did; the tenant keys then only name the tenants in the metrics.
 *
 * @param fair                {@code pool.tenant_queueing: fair}: backends go round robin between the tenants that
 *                            wait (first come, first served within a tenant); {@code fifo} when false
 * @param key                 {@code pool.tenant_key}: what names a client's tenant
 * @param weights             {@code pool.tenant_weights}: clients served per turn of a tenant (default 1)
 * @param maxActive           {@code pool.tenant_max_active}: backends one tenant may hold at once; 0 = no cap
 * @param maxWaiting          {@code pool.tenant_max_waiting}: clients of one tenant that may wait at once; one more is
 *                            refused with 53300; 0 = no cap
 * @param maxTenants          {@code pool.max_tenants}: tenants tracked per pool; later ones share the tenant "other"
 * @param defaultWaitDeadline {@code pool.default_wait_deadline}: how long a client that states no deadline will wait
 *                            for a backend; 0 = none (query_wait_timeout alone applies)
 */
public record AdmissionSettings(boolean fair, TenantKey key, Map<String, Integer> weights, int maxActive,
        int maxWaiting, int maxTenants, Duration defaultWaitDeadline) {

    /** The tenant that stands for every tenant beyond {@code maxTenants}. */
    public static final String OTHER_TENANT = "other";

    public AdmissionSettings {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultWaitDeadline, "defaultWaitDeadline");
        weights = Map.copyOf(weights == null ? Map.of() : weights);
        if (maxActive < 0 || maxWaiting < 0 || maxTenants < 1) {
            throw new IllegalArgumentException("invalid tenant caps: active " + maxActive + ", waiting " + maxWaiting
                    + ", tenants " + maxTenants);
        }
    }

    /** First come, first served; tenants named by application_name; no caps; no default deadline. */
    public static AdmissionSettings defaults() {
        return new AdmissionSettings(false, TenantKey.APPLICATION_NAME, Map.of(), 0, 0, 100, Duration.ZERO);
    }

    /** How many clients of {@code tenant} are served per turn. */
    public int weight(String tenant) {
        return weights.getOrDefault(tenant, 1);
    }
}
