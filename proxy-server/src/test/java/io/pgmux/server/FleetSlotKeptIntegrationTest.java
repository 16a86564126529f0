// fleet_max_db_connections: a client that releases advisory locks does not release its backend's fleet slot.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.pool.PoolStats;
import io.pgmux.testing.Await;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend's fleet slot is a session advisory lock, which {@code pg_advisory_unlock_all()} and {@code DISCARD ALL}
 * release. pgmux must notice and take a slot again before the backend is lent again, or the fleet would run more
 * backends than its budget.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetSlotKeptIntegrationTest {
    /** The first key of pgmux's slot locks, FleetBudgetConnector.LOCK_SPACE ("pgmx"). */
    private static final long LOCK_SPACE = 0x70676d78L;

    @Test
    void aBackendWhoseClientReleasedEveryAdvisoryLockTakesItsSlotAgain() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "", "fleet_max_db_connections: 2")) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                awaitEveryBackendHoldsASlot(proxy);
                // Not alone in its statement, so no session-state rule reads it as an unlock of the client's own.
                s.execute("SELECT 1 AS one, pg_advisory_unlock_all()");
                awaitEveryBackendHoldsASlot(proxy);
                s.execute("DISCARD ALL");
                awaitEveryBackendHoldsASlot(proxy);
                try (ResultSet rs = s.executeQuery("SELECT 2")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the backend still serves").isEqualTo(2);
                }
            }
        }
    }

    @Test
    void aPreparedUnlockKeepsTheSlotInDoubtAtEveryRelease() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "", "fleet_max_db_connections: 2")) {
            try (Connection c = proxy.connect();
                 var unlock = c.prepareStatement("SELECT 1 AS one, pg_advisory_unlock_all()")) {
                for (int i = 0; i < 7; i++) { // past pgjdbc's prepareThreshold: a named statement executed again
                    unlock.execute();
                    awaitEveryBackendHoldsASlot(proxy);
                }
            }
        }
    }

    /** Every backend of the proxy's pool holds a slot once its release has finished. */
    private static void awaitEveryBackendHoldsASlot(TestProxy proxy) throws InterruptedException {
        Await.until("every backend holds a fleet slot", Duration.ofSeconds(10), () -> {
            PoolStats stats = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user()).stats();
            return stats.active() == 0 && stats.used() == 0 && slotsHeld(proxy) == stats.total();
        });
        assertThat(slotsHeld(proxy)).isEqualTo(1);
    }

    private static int slotsHeld(TestProxy proxy) {
        try (Connection c = proxy.pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                     + " AND objsubid = 2 AND classid = " + LOCK_SPACE)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
