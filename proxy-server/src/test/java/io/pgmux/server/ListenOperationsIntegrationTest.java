package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

/** What an operator sees of LISTEN fan-out: the listening backend in SHOW SERVERS and POOLS, and /metrics. */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenOperationsIntegrationTest {
    private static OpsProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = OpsProxy.start("transaction", 2, "");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void theListeningBackendAndTheFiguresAreShown() throws Exception {
        Scrape before = proxy.scrape();
        try (Connection a = proxy.connect(); Statement sa = a.createStatement();
             Connection b = proxy.connect(); Statement sb = b.createStatement()) {
            sa.execute("LISTEN ops_one");
            sb.execute("LISTEN ops_one");
            sb.execute("LISTEN ops_two");
            sa.execute("NOTIFY ops_one, 'x'");
            assertThat(((PGConnection) a).getNotifications(5000)).hasSize(1);
            assertThat(((PGConnection) b).getNotifications(5000)).hasSize(1);

            Scrape during = proxy.scrape();
            assertThat(during.value("pgmux_notify_channels")).isEqualTo(2);
            assertThat(during.value("pgmux_notify_listening_clients")).isEqualTo(2);
            assertThat(during.value("pgmux_notify_received_total")
                    - before.value("pgmux_notify_received_total")).isEqualTo(1);
            assertThat(during.value("pgmux_notify_delivered_total")
                    - before.value("pgmux_notify_delivered_total")).isEqualTo(2);
            assertThat(during.value("pgmux_notify_dropped_total")).isZero();

            try (Connection console = proxy.connect("pgbouncer", proxy.pg.user(), proxy.pg.password());
                 Statement c = console.createStatement()) {
                List<String> names = new ArrayList<>();
                try (ResultSet rs = c.executeQuery("SHOW SERVERS")) {
                    while (rs.next()) {
                        names.add(rs.getString("state") + " " + rs.getString("application_name"));
                    }
                }
                assertThat(names).as("listening clients hold no backend; the one listening backend is shown")
                        .filteredOn(n -> n.startsWith("active")).containsExactly("active pgmux listen");
                try (ResultSet rs = c.executeQuery("SHOW POOLS")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("sv_active")).as("counted against the pool").isEqualTo(1);
                }
            }
        }
        awaitNobodyListening();
    }

    @Test
    void reconnectReplacesTheListeningBackendAndWaitCloseReturns() throws Exception {
        try (Connection listener = proxy.connect(); Statement s = listener.createStatement();
             Connection console = proxy.connect("pgbouncer", proxy.pg.user(), proxy.pg.password());
             Statement c = console.createStatement();
             Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            s.execute("LISTEN ops_reconnect");
            int before = listeningPid(c);
            double lostBefore = proxy.scrape().value("pgmux_notify_listeners_lost_total");
            c.execute("RECONNECT " + proxy.pg.database());
            c.execute("WAIT_CLOSE " + proxy.pg.database()); // returns: the listening backend is not kept for ever
            assertThat(proxy.scrape().value("pgmux_notify_listeners_lost_total")).isEqualTo(lostBefore + 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int received = 0;
            for (int n = 0; received == 0 && System.nanoTime() < deadline; n++) {
                d.execute("NOTIFY ops_reconnect, '" + n + "'");
                received = ((PGConnection) listener).getNotifications(200).length;
            }
            assertThat(received).as("notifications through the new listening backend").isPositive();
            assertThat(listeningPid(c)).isNotEqualTo(before);
        }
        awaitNobodyListening();
    }

    private static int listeningPid(Statement console) throws Exception {
        try (ResultSet rs = console.executeQuery("SHOW SERVERS")) {
            while (rs.next()) {
                if ("pgmux listen".equals(rs.getString("application_name"))) {
                    return rs.getInt("remote_pid");
                }
            }
        }
        throw new AssertionError("no listening backend in SHOW SERVERS");
    }

    private static void awaitNobodyListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (proxy.scrape().value("pgmux_notify_listening_clients") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(proxy.scrape().value("pgmux_notify_channels")).isZero();
    }
}
