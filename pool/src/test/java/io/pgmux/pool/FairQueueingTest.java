// Fair queueing between tenants and wait deadlines in one pool, against a scripted fake backend and a test clock.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.config.AdmissionSettings;
import io.pgmux.config.TenantKey;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FairQueueingTest {
    private final FakePoolBed bed = new FakePoolBed();

    @AfterEach
    void close() {
        bed.close();
    }

    private static AdmissionSettings fair(Map<String, Integer> weights, int maxActive, int maxWaiting,
                                          int maxTenants) {
        return new AdmissionSettings(true, TenantKey.APPLICATION_NAME, weights, maxActive, maxWaiting, maxTenants,
                Duration.ZERO);
    }

    /** Releases the one backend {@code count} times and returns the tenants served, in order. */
    private List<String> serve(Pool pool, ServerConnection server, List<Future<ServerConnection>> waiters,
                               List<String> tenants, int count) throws Exception {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pool.release(server, false);
            FakePoolBed.await("a waiter is served", () -> waiters.stream().anyMatch(w -> w.isSuccess()
                    && !servedAlready(w, waiters, served)));
            int index = -1;
            for (int j = 0; j < waiters.size(); j++) {
                if (waiters.get(j).isSuccess() && !served.contains(j + "")) {
                    index = j;
                }
            }
            served.add(index + "");
            server = waiters.get(index).getNow();
        }
        List<String> names = new ArrayList<>();
        served.forEach(i -> names.add(tenants.get(Integer.parseInt(i))));
        pool.release(server, false);
        return names;
    }

    private static boolean servedAlready(Future<ServerConnection> w, List<Future<ServerConnection>> waiters,
                                         List<String> served) {
        return served.contains(waiters.indexOf(w) + "");
    }

    @Test
    void waitingTenantsAreServedInTurnAndFifoWithinATenant() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ZERO));
        pool.admission(fair(Map.of(), 0, 0, 100));
        ServerConnection server = bed.acquire(pool);
        List<String> tenants = List.of("noisy", "noisy", "noisy", "noisy", "quiet", "quiet");
        List<Future<ServerConnection>> waiters = new ArrayList<>();
        for (String tenant : tenants) {
            waiters.add(pool.acquire(bed.loop(), new Admission(tenant, 0)));
        }
        assertThat(pool.stats().waiting()).isEqualTo(6);

        List<String> served = serve(pool, server, waiters, tenants, 6);

        assertThat(served).containsExactly("noisy", "quiet", "noisy", "quiet", "noisy", "noisy");
        assertThat(pool.tenants()).extracting(TenantView::tenant, TenantView::admitted)
                .contains(org.assertj.core.groups.Tuple.tuple("quiet", 2L));
    }

    @Test
    void aWeightGivesATenantThatManyClientsPerTurn() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ZERO));
        pool.admission(fair(Map.of("reports", 2), 0, 0, 100));
        ServerConnection server = bed.acquire(pool);
        List<String> tenants = List.of("reports", "reports", "reports", "reports", "web", "web");
        List<Future<ServerConnection>> waiters = new ArrayList<>();
        for (String tenant : tenants) {
            waiters.add(pool.acquire(bed.loop(), new Admission(tenant, 0)));
        }
        assertThat(serve(pool, server, waiters, tenants, 6))
                .containsExactly("reports", "reports", "web", "reports", "reports", "web");
    }

    @Test
    void aTenantAtItsCapsWaitsOrIsRefused() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(2, Duration.ZERO));
        pool.admission(fair(Map.of(), 1, 1, 100));
        ServerConnection held = pool.acquire(bed.loop(), new Admission("a", 0)).get(5, TimeUnit.SECONDS);

        Future<ServerConnection> secondOfA = pool.acquire(bed.loop(), new Admission("a", 0));
        assertThat(secondOfA.await(100)).as("tenant a holds its one backend: its second client waits").isFalse();
        Throwable refused = FakePoolBed.failureOf(pool.acquire(bed.loop(), new Admission("a", 0)));
        assertThat(((PgException) refused).sqlState()).isEqualTo(SqlState.TOO_MANY_CONNECTIONS);
        assertThat(refused).hasMessageContaining("tenant \"a\" has 1 clients waiting (tenant_max_waiting)");

        ServerConnection ofB = pool.acquire(bed.loop(), new Admission("b", 0)).get(5, TimeUnit.SECONDS);
        assertThat(ofB).as("another tenant is not held back").isNotNull();
        pool.release(held, false);
        assertThat(secondOfA.get(5, TimeUnit.SECONDS)).isSameAs(held);
        pool.release(held, false);
        pool.release(ofB, false);
        assertThat(pool.tenants()).filteredOn(t -> t.tenant().equals("a")).singleElement()
                .satisfies(t -> assertThat(t.shedQueueFull()).isEqualTo(1))
                .satisfies(t -> assertThat(t.active()).isZero());
    }

    @Test
    void tenantsBeyondMaxTenantsShareOther() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ZERO));
        pool.admission(fair(Map.of(), 0, 0, 2));
        ServerConnection server = pool.acquire(bed.loop(), new Admission("app-0", 0)).get(5, TimeUnit.SECONDS);
        List<Future<ServerConnection>> waiters = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiters.add(pool.acquire(bed.loop(), new Admission("app-" + i, 0)));
        }
        assertThat(pool.tenants()).extracting(TenantView::tenant).containsExactly("app-0", "app-1", "other");
        assertThat(pool.tenants()).filteredOn(t -> t.tenant().equals("other")).singleElement()
                .satisfies(t -> assertThat(t.waiting()).isEqualTo(48));
        waiters.forEach(w -> w.cancel(false));
        pool.release(server, false);
    }

    @Test
    void aDeadlineThatCannotBeMetIsRefusedAtOnceAndOnePassingWhileWaitingIsAnswered() throws Exception {
        Pool pool = bed.pool(FakePoolBed.limits(1, Duration.ofSeconds(60)));
        ServerConnection server = bed.acquire(pool);
        // Teach the pool its hand-over rate: with clients waiting, a backend comes back every 100 ms.
        for (int i = 0; i < 20; i++) {
            Future<ServerConnection> next = pool.acquire(bed.loop());
            bed.clock.advance(Duration.ofMillis(100));
            pool.release(server, false);
            server = next.get(5, TimeUnit.SECONDS);
        }
        List<Future<ServerConnection>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(pool.acquire(bed.loop()));
        }
        Throwable refused = FakePoolBed.failureOf(pool.acquire(bed.loop(),
                new Admission("", TimeUnit.MILLISECONDS.toNanos(500))));
        assertThat(((PgException) refused).sqlState()).isEqualTo(SqlState.QUERY_CANCELED);
        assertThat(refused).hasMessageContaining("is predicted at ").hasMessageContaining("queue position 11")
                .hasMessageContaining("wait_deadline of 500 ms");

        Future<ServerConnection> patient = pool.acquire(bed.loop(),
                new Admission("", TimeUnit.SECONDS.toNanos(5)));
        assertThat(pool.stats().waiting()).isEqualTo(11);
        bed.clock.advance(Duration.ofSeconds(5));
        Throwable passed = FakePoolBed.failureOf(patient);
        assertThat(((PgException) passed).sqlState()).isEqualTo(SqlState.QUERY_CANCELED);
        assertThat(passed).hasMessageContaining("became free within this client's wait_deadline of 5000 ms");
        FakePoolBed.await("the client whose deadline passed left the queue", () -> pool.stats().waiting() == 10);
        queued.forEach(w -> w.cancel(false));
        pool.release(server, false);
    }
}
