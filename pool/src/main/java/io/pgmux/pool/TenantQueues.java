// The wait queue of a fairly queued pool: a FIFO per tenant, served round robin (weighted) between tenants.
package io.pgmux.pool;

import io.pgmux.config.AdmissionSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Round robin between the tenants that wait: a tenant with weight w is served up to w clients per turn, then goes to
 * the back of the ring. A tenant that holds pool.tenant_max_active backends already is passed over until one of its
 * backends comes back. At most {@code max_tenants} tenants are tracked; the rest share {@link
 * AdmissionSettings#OTHER_TENANT}, so client-chosen names (application_name) cannot grow memory without bound.
 * Not thread-safe: guarded by the owning {@link PoolLedger}'s monitor.
 */
final class TenantQueues {
    private static final Logger log = LoggerFactory.getLogger(TenantQueues.class);

    private final String pool;
    private final Map<String, TenantLane> lanes = new LinkedHashMap<>();
    /** Lanes with waiters, the one whose turn it is first. */
    private final ArrayDeque<TenantLane> turns = new ArrayDeque<>();
    private AdmissionSettings settings;
    private int size;
    /** Whether the first tenant beyond max_tenants was logged; later ones are not, or a client could flood the log. */
    private boolean overflowLogged;

    TenantQueues(String pool, AdmissionSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    void settings(AdmissionSettings newSettings) {
        this.settings = newSettings;
    }

    AdmissionSettings settings() {
        return settings;
    }

    /** The lane of {@code tenant}, created on first use; "other" once max_tenants lanes exist. */
    TenantLane lane(String tenant) {
        TenantLane lane = lanes.get(tenant);
        if (lane != null) {
            return lane;
        }
        if (lanes.size() < settings.maxTenants()) {
            lane = new TenantLane(tenant);
            lanes.put(tenant, lane);
            return lane;
        }
        if (!overflowLogged) {
            overflowLogged = true;
            log.info("pool {}: {} tenants tracked (max_tenants); tenant {} and any later one count as \"{}\"", pool,
                    lanes.size(), TenantNames.quoted(tenant), AdmissionSettings.OTHER_TENANT);
        }
        return lanes.computeIfAbsent(AdmissionSettings.OTHER_TENANT, TenantLane::new);
    }

    boolean atCap(TenantLane lane) {
        return settings.maxActive() > 0 && lane.active >= settings.maxActive();
    }

    void add(Waiter waiter) {
        TenantLane lane = waiter.lane;
        lane.waiters.addLast(waiter);
        size++;
        if (!lane.inTurns) {
            lane.inTurns = true;
            lane.credit = settings.weight(lane.name);
            turns.addLast(lane);
        }
    }

    /** The next waiter by turn, removed; null when none waits or every waiting tenant is at its cap. */
    Waiter poll() {
        for (int i = turns.size(); i > 0; i--) {
            TenantLane lane = turns.peekFirst();
            if (atCap(lane)) {
                turns.addLast(turns.pollFirst());
                continue;
            }
            Waiter waiter = lane.waiters.pollFirst();
            size--;
            if (lane.waiters.isEmpty()) {
                turns.pollFirst();
                lane.inTurns = false;
            } else if (--lane.credit <= 0) {
                turns.addLast(turns.pollFirst());
                lane.credit = settings.weight(lane.name);
            }
            return waiter;
        }
        return null;
    }

    /** The waiter whose turn is next, kept; null when empty. */
    Waiter peek() {
        TenantLane lane = turns.peekFirst();
        return lane == null ? null : lane.waiters.peekFirst();
    }

    boolean remove(Waiter waiter) {
        TenantLane lane = waiter.lane;
        if (lane == null || !lane.waiters.remove(waiter)) {
            return false;
        }
        size--;
        if (lane.waiters.isEmpty()) {
            turns.remove(lane);
            lane.inTurns = false;
        }
        return true;
    }

    int size() {
        return size;
    }

    long oldestSince(long fallback) {
        long oldest = fallback;
        for (TenantLane lane : turns) {
            oldest = Math.min(oldest, lane.waiters.peekFirst().sinceNanos);
        }
        return oldest;
    }

    /**
     * Roughly how many clients are served before the {@code place}-th waiter of {@code lane} (1-based), itself
     * included: its own lane's clients ahead, plus, for each turn it needs, up to a turn's worth of every other
     * waiting tenant.
     */
    int predictedPosition(TenantLane lane, int place) {
        int weight = settings.weight(lane.name);
        int rounds = (place + weight - 1) / weight;
        long position = place;
        for (TenantLane other : turns) {
            if (other != lane) {
                position += Math.min(other.waiters.size(), (long) rounds * settings.weight(other.name));
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, position);
    }

    /** Every waiter, by turn; the queues are empty afterwards. */
    List<Waiter> drain() {
        List<Waiter> all = new ArrayList<>(size);
        for (TenantLane lane : turns) {
            all.addAll(lane.waiters);
            lane.waiters.clear();
            lane.inTurns = false;
        }
        turns.clear();
        size = 0;
        return all;
    }

    Collection<TenantLane> lanes() {
        return lanes.values();
    }
}
