package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 2,000 clients connected at once on a pool of 10 in transaction mode: every transaction commits. */
@DetectLeaks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StormIntegrationTest {
    private static final int CLIENTS = 2000;
    private static final int POOL_SIZE = 10;

    @Test
    void twoThousandConcurrentClientsOnTenBackends() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", POOL_SIZE)) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS storm");
                s.execute("CREATE TABLE storm (client int PRIMARY KEY, doubled int)");
            }
            BackendSampler backends = BackendSampler.start(proxy);
            CountDownLatch allConnected = new CountDownLatch(CLIENTS);
            ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Integer>> results = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    int client = i;
                    results.add(threads.submit(() -> {
                        try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                            allConnected.countDown();
                            allConnected.await(120, TimeUnit.SECONDS); // the storm: everybody is in at once
                            c.setAutoCommit(false);
                            s.execute("INSERT INTO storm VALUES (" + client + ", " + client * 2 + ")");
                            try (ResultSet rs = s.executeQuery("SELECT doubled FROM storm WHERE client = " + client)) {
                                rs.next();
                                c.commit();
                                return rs.getInt(1);
                            }
                        }
                    }));
                }
                for (int i = 0; i < CLIENTS; i++) {
                    assertThat(results.get(i).get(150, TimeUnit.SECONDS)).isEqualTo(i * 2);
                }
            } finally {
                backends.close();
                threads.shutdownNow();
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), sum(doubled) FROM storm")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(CLIENTS);
                assertThat(rs.getLong(2)).isEqualTo((long) CLIENTS * (CLIENTS - 1));
            }
            assertThat(backends.max()).isBetween(1, POOL_SIZE);
        }
    }
}
