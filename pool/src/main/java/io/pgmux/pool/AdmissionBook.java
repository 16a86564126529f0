// The admission side of a pool's bookkeeping: tenants' turns, caps and figures, and the deadline predictions.
package io.pgmux.pool;

import io.pgmux.config.AdmissionSettings;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@link PoolLedger} asks before it lends or queues, and tells when a backend changes hands: which tenant a
 * client's {@link Admission} belongs to, whether that tenant is at a cap, whether a deadline can be met, and who
 * holds what. Guarded by the owning ledger's monitor: every method is called inside one of its critical sections.
 * With first-come, first-served queueing and no deadline, every method returns at its first test.
 */
final class AdmissionBook {
    private final String pool;
    private final WaitQueue queue;
    private final HandOverRate handOverRate = new HandOverRate();

    AdmissionBook(String pool, WaitQueue queue) {
        this.pool = pool;
        this.queue = queue;
    }

    /** Applies new admission settings: fair queueing on or off, new weights and caps. */
    void settings(AdmissionSettings settings) {
        TenantQueues current = queue.fair();
        if (!settings.fair()) {
            if (current != null) {
                queue.fair(null);
            }
        } else if (current == null) {
            queue.fair(new TenantQueues(pool, settings));
        } else {
            current.settings(settings);
        }
    }

    /** The lane of the client's tenant when the pool queues fairly, else null. */
    TenantLane lane(Admission admission) {
        TenantQueues tenants = queue.fair();
        return tenants == null ? null : tenants.lane(admission.tenant());
    }

    /** Whether the client may be lent an idle backend at once: not while its tenant holds tenant_max_active. */
    boolean mayTakeIdle(TenantLane lane) {
        return lane == null || !queue.fair().atCap(lane);
    }

    /**
     * A refusal for a client that would queue: its tenant has tenant_max_waiting clients waiting (53300), or its
     * deadline is shorter than the wait predicted from its place in line and the measured hand-over rate (57014).
     * No prediction is made before a hand-over rate was measured, nor while the pool may still open a backend
     * ({@code atLimit} false).
     */
    PgException refusal(TenantLane lane, Admission admission, boolean atLimit) {
        int tenantCap = lane == null ? 0 : queue.fair().settings().maxWaiting();
        if (tenantCap > 0 && lane.waiters.size() >= tenantCap) {
            lane.shedTenantQueueFull++;
            return new PgException(Severity.FATAL, SqlState.TOO_MANY_CONNECTIONS, "pool " + pool + ": tenant "
                    + TenantNames.quoted(lane.name) + " has " + lane.waiters.size()
                    + " clients waiting (tenant_max_waiting); try again later");
        }
        if (admission.deadlineNanos() == 0 || !atLimit || !handOverRate.measured()) {
            return null;
        }
        int position = queue.positionOfNewcomer(lane);
        long predicted = handOverRate.predictedWaitNanos(position);
        if (predicted <= admission.deadlineNanos()) {
            return null;
        }
        if (lane != null) {
            lane.shedPredicted++;
        }
        return new PgException(Severity.FATAL, SqlState.QUERY_CANCELED, "pgmux: the wait for a server connection"
                + " in pool " + pool + " is predicted at " + TimeUnit.NANOSECONDS.toMillis(predicted)
                + " ms (queue position " + position + "), beyond this client's wait_deadline of "
                + TimeUnit.NANOSECONDS.toMillis(admission.deadlineNanos()) + " ms");
    }

    /** A backend was lent to a client of {@code lane} (null: FIFO) after {@code waitedNanos}. */
    static void lent(ServerConnection server, TenantLane lane, long waitedNanos) {
        server.lentTo = lane;
        if (lane != null) {
            lane.active++;
            lane.admitted++;
            lane.waitLatency.record(waitedNanos);
        }
    }

    /** A backend came back or was closed: the tenant that held it holds one fewer. */
    static void returned(ServerConnection server) {
        TenantLane lane = server.lentTo;
        if (lane != null) {
            lane.active--;
            server.lentTo = null;
        }
    }

    /** A backend came back at {@code now} to be handed over; {@code waiting}: clients were queued for it. */
    void backendReturned(long now, boolean waiting) {
        handOverRate.backendReturned(now, waiting);
    }

    /** A waiter left the queue because its deadline passed ({@code deadline}) or query_wait_timeout ended. */
    void waitShed(Waiter waiter, boolean deadline) {
        if (queue.remove(waiter) && waiter.lane != null) {
            if (deadline) {
                waiter.lane.shedDeadline++;
            } else {
                waiter.lane.timedOut++;
            }
        }
    }

    /** Every tenant tracked, with its figures; empty when the pool queues first come, first served. */
    List<TenantView> views() {
        TenantQueues tenants = queue.fair();
        if (tenants == null) {
            return List.of();
        }
        List<TenantView> views = new ArrayList<>();
        for (TenantLane lane : tenants.lanes()) {
            views.add(new TenantView(lane.name, lane.waiters.size(), lane.active, lane.admitted,
                    lane.shedTenantQueueFull, lane.shedPredicted, lane.shedDeadline, lane.timedOut,
                    lane.waitLatency.snapshot()));
        }
        return views;
    }
}
