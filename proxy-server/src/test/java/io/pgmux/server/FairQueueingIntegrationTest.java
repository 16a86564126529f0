// pool.tenant_queueing: fair through a running pgmux: a quiet tenant is served in turn beside one with 20x its clients.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.pool.Pool;
import io.pgmux.pool.TenantView;
import io.pgmux.testing.Await;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FairQueueingIntegrationTest {
    private static final int POOL_SIZE = 4;
    private static final int QUIET_CLIENTS = 2;
    private static final int NOISY_CLIENTS = 20 * QUIET_CLIENTS;

    @Test
    void theQuietTenantIsAdmittedInTurnBesideOneWithTwentyTimesItsClients() throws Exception {
        String table = "fair_" + UUID.randomUUID().toString().replace('-', '_');
        ExecutorService threads = Executors.newFixedThreadPool(NOISY_CLIENTS + QUIET_CLIENTS);
        try (TestProxy proxy = TestProxy.start("transaction", POOL_SIZE, "md5", "tenant_queueing: fair",
                "").warmedUp()) {
            execute(proxy, "CREATE TABLE " + table + " (id serial, tenant text)");
            Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
            List<Connection> holders = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE; i++) {
                Connection holder = connect(proxy, "holder");
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.execute("SELECT 1"); // every backend is held inside a transaction
                }
                holders.add(holder);
            }
            List<Future<?>> clients = new ArrayList<>();
            clients.addAll(enqueue(proxy, threads, table, "noisy", NOISY_CLIENTS));
            await("the noisy tenant's clients wait", () -> pool.stats().waiting() == NOISY_CLIENTS);
            clients.addAll(enqueue(proxy, threads, table, "quiet", QUIET_CLIENTS));
            await("both tenants wait", () -> pool.stats().waiting() == NOISY_CLIENTS + QUIET_CLIENTS);

            for (Connection holder : holders) {
                holder.commit();
                holder.close();
            }
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }

            List<String> order = order(proxy, table);
            assertThat(order).hasSize(NOISY_CLIENTS + QUIET_CLIENTS);
            // First come, first served would run the quiet tenant's inserts last (41st and 42nd); in turn, each of
            // them comes within the first few hand-overs, one turn of each waiting tenant per backend that frees up.
            List<Integer> quietPlaces = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).equals("quiet")) {
                    quietPlaces.add(i + 1);
                }
            }
            assertThat(quietPlaces).as("places of the quiet tenant's inserts in %s; tenants %s", order, pool.tenants())
                    .hasSize(QUIET_CLIENTS).allSatisfy(place -> assertThat(place).isLessThanOrEqualTo(2 * POOL_SIZE));
            assertThat(pool.tenants()).filteredOn(t -> t.tenant().equals("quiet")).singleElement()
                    .extracting(TenantView::admitted).isEqualTo((long) QUIET_CLIENTS);
            assertThat(pool.tenants()).filteredOn(t -> t.tenant().equals("noisy")).singleElement()
                    .extracting(TenantView::admitted).isEqualTo((long) NOISY_CLIENTS);
            execute(proxy, "DROP TABLE " + table);
            proxy.assertEveryBackendBackAndIdle();
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<Future<?>> enqueue(TestProxy proxy, ExecutorService threads, String table, String tenant,
                                           int count) {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(threads.submit(() -> {
                try (Connection c = connect(proxy, tenant); PreparedStatement s = c.prepareStatement(
                        "INSERT INTO " + table + " (tenant) VALUES (?)")) {
                    s.setString(1, tenant);
                    s.executeUpdate();
                }
                return null;
            }));
        }
        return futures;
    }

    private static Connection connect(TestProxy proxy, String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("ApplicationName", applicationName);
        // Without it pgjdbc sends application_name in a SET after the login rather than in the startup packet.
        p.setProperty("assumeMinServerVersion", "10");
        return proxy.connect(p);
    }

    private static List<String> order(TestProxy proxy, String table) throws SQLException {
        List<String> order = new ArrayList<>();
        try (Connection c = proxy.pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tenant FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                order.add(rs.getString(1));
            }
        }
        return order;
    }

    private static void execute(TestProxy proxy, String sql) throws SQLException {
        try (Connection c = proxy.pg.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }
}
