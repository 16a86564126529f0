// pool.max_waiting_clients through a running pgmux: the client beyond the bound is refused at once with 53300.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.pool.Pool;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MaxWaitingClientsIntegrationTest {

    @Test
    void aClientBeyondMaxWaitingClientsIsRefusedAtOnceAndTheWaiterIsStillServed() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "max_waiting_clients: 1",
                "query_wait_timeout: 30s").warmedUp()) {
            Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
            try (Connection holder = proxy.connect(); Connection waiter = proxy.connect();
                 Connection refused = proxy.connect()) {
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.execute("SELECT 1"); // holds the only backend inside a transaction
                }
                CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> firstValue(waiter, "waited"));
                for (int i = 0; i < 500 && pool.stats().waiting() < 1; i++) {
                    Thread.sleep(10);
                }
                assertThat(pool.stats().waiting()).as("the second client waits").isEqualTo(1);

                long start = System.nanoTime();
                assertThatThrownBy(() -> firstValue(refused, "refused"))
                        .isInstanceOf(IllegalStateException.class)
                        .cause()
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"))
                        .hasMessageContaining("pool " + proxy.pg.database() + "/" + proxy.pg.user()
                                + " has 1 clients waiting (max_waiting_clients); try again later");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                        .as("refused without waiting for query_wait_timeout").isLessThan(10_000);

                holder.commit();
                assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("waited");
            }
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    private static String firstValue(Connection c, String value) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT '" + value + "'")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
