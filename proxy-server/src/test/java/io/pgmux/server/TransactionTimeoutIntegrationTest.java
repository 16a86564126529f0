// timeouts.transaction_timeout through a running pgmux: a transaction too long ends its client, short ones never do.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionTimeoutIntegrationTest {

    @Test
    void aTransactionLongerThanTheTimeoutEndsItsClientWith25P04AndIsRolledBack() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "transaction_timeout: 1s")) {
            try (Connection setup = proxy.connect(); Statement s = setup.createStatement()) {
                s.execute("DROP TABLE IF EXISTS tx_timeout");
                s.execute("CREATE TABLE tx_timeout (x int)");
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO tx_timeout VALUES (1)");
                long start = System.nanoTime();
                assertThatThrownBy(() -> s.execute("SELECT pg_sleep(20)"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("25P04"))
                        .hasMessageContaining("terminating connection due to transaction_timeout");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM tx_timeout")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rolled back, and the only backend serves again").isZero();
            }
        }
    }

    @Test
    void aBusyTransactionIsEndedEvenThoughItIsNeverIdle() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "transaction_timeout: 1s");
             Connection c = proxy.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) { // 10 s at most
                    s.execute("SELECT pg_sleep(0.1)");
                }
            }).isInstanceOf(SQLException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5000L);
        }
    }

    @Test
    void shortTransactionsAddingUpToMoreThanTheTimeoutAreNeverEnded() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "transaction_timeout: 1s");
             Connection c = proxy.connect(); Statement s = c.createStatement()) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            int transactions = 0;
            while (System.nanoTime() < end) {
                c.setAutoCommit(transactions % 2 == 0); // single statements and transaction blocks alike
                s.execute("SELECT pg_sleep(0.05)");
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                transactions++;
            }
            c.setAutoCommit(true);
            try (ResultSet rs = s.executeQuery("SELECT 'still here'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
            assertThat(transactions).isGreaterThan(10);
        }
    }
}
