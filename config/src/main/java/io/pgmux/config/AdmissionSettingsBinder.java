// Binds the admission keys of the `pool` section (tenant_queueing, tenant_key, tenant_weights, ...).
package io.pgmux.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the admission keys of the {@code pool} section; runs before the section's unknown-key check. */
final class AdmissionSettingsBinder {
    private static final int MAX_WEIGHT = 1000;
    private static final int MAX_TENANTS = 100_000;
    private static final List<String> KEYS = List.of("tenant_queueing", "tenant_key", "tenant_weights",
            "tenant_max_active", "tenant_max_waiting", "max_tenants", "default_wait_deadline");

    private AdmissionSettingsBinder() {
    }

    static AdmissionSettings bind(ConfigNode pool) {
        // One wrong value stops the reading here: the keys after it must not be reported as typos as well.
        pool.markKnown(KEYS);
        AdmissionSettings d = AdmissionSettings.defaults();
        SectionReader r = new SectionReader(pool);
        boolean fair = r.choice("tenant_queueing", d.fair(), AdmissionSettingsBinder::fair);
        TenantKey key = r.choice("tenant_key", d.key(), TenantKey::parse);
        Map<String, Integer> weights = weights(pool.section("tenant_weights"));
        int maxActive = r.integer("tenant_max_active", d.maxActive(), 0, Integer.MAX_VALUE);
        int maxWaiting = r.integer("tenant_max_waiting", d.maxWaiting(), 0, Integer.MAX_VALUE);
        int maxTenants = r.integer("max_tenants", d.maxTenants(), 1, MAX_TENANTS);
        return new AdmissionSettings(fair, key, weights, maxActive, maxWaiting, maxTenants,
                r.duration("default_wait_deadline", d.defaultWaitDeadline(), true));
    }

    /** {@code tenant_weights: {reports: 3}}: each weight 1..1000. */
    private static Map<String, Integer> weights(ConfigNode section) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        SectionReader r = new SectionReader(section);
        for (String tenant : section.keys()) {
            weights.put(tenant, r.integer(tenant, 1, 1, MAX_WEIGHT));
        }
        return weights;
    }

    private static boolean fair(String text, String where) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "fair" -> true;
            case "fifo" -> false;
            default -> throw ConfigException.at(where, "must be fifo or fair, got '" + text + "'");
        };
    }
}
