// A client that leaves while it waits for a backend leaves the queue at once, and what it sent never runs.
package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.pool.Pool;
import io.pgmux.testing.Await;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DisconnectedWaiterIntegrationTest {

    /** On NIO a channel that is not reading learns of the peer's close only if pgmux looks: both must hold. */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "nio"})
    void aQueuedInsertOfAClientThatLeftNeverReachesABackend(String transport) throws Exception {
        String table = "left_waiter_" + UUID.randomUUID().toString().replace('-', '_');
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "",
                "transport: " + transport).warmedUp()) {
            execute(proxy, "CREATE TABLE " + table + " (id int)");
            Pool pool = proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user());
            try (Connection holder = proxy.connect()) {
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.execute("SELECT 1"); // holds the only backend inside a transaction
                }
                for (boolean reset : new boolean[] {false, true}) {
                    try (RawClient raw = new RawClient(proxy.port())) {
                        raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
                        raw.sendQuery("INSERT INTO " + table + " VALUES (1)");
                        await("the client waits for the backend", () -> pool.stats().waiting() == 1);
                        raw.socket.setSoLinger(reset, 0); // a reset, or an orderly close without a Terminate
                    }
                    await("the client that left is out of the queue", () -> pool.stats().waiting() == 0);
                }
                holder.commit(); // the backend comes back: nobody may be waiting for it
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                assertThat(rs.getInt(1)).as("inserts of clients that left before a backend was free").isZero();
            }
            execute(proxy, "DROP TABLE " + table);
            proxy.assertEveryBackendBackAndIdle();
        }
    }

    private static void execute(TestProxy proxy, String sql) throws SQLException {
        try (Connection c = proxy.pg.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(10), condition);
    }
}
