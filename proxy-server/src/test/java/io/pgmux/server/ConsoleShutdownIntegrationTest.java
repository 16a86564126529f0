package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SHUTDOWN WAIT_FOR_SERVERS and WAIT_FOR_CLIENTS through the console of a running pgmux: new connections are
 * refused at once, and pgmux stops only when the transactions (or the clients) it still serves are done.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleShutdownIntegrationTest {
    private OpsProxy proxy;
    private int port;
    private CompletableFuture<Void> stopped;

    @BeforeEach
    void start() throws Exception {
        proxy = OpsProxy.start("transaction", 2, "");
        port = proxy.server.port();
        stopped = CompletableFuture.runAsync(() -> {
            try {
                proxy.server.awaitClosed();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void waitForServersLetsTheOpenTransactionCommitAndRefusesNewClients() throws Exception {
        String table = "shutdown_wait_" + System.nanoTime();
        try (Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            d.execute("CREATE TABLE " + table + " (n int)");
        }
        try (Connection inTx = proxy.connect(); Statement tx = inTx.createStatement()) {
            inTx.setAutoCommit(false);
            tx.execute("INSERT INTO " + table + " VALUES (1)");
            consoleCommand("SHUTDOWN WAIT_FOR_SERVERS");
            awaitNotAccepting();
            assertThatThrownBy(proxy::connect).as("new clients are refused").isInstanceOf(SQLException.class);
            Thread.sleep(300);
            assertThat(stopped).as("pgmux waits for the backend held by the open transaction").isNotDone();
            tx.execute("INSERT INTO " + table + " VALUES (2)");
            inTx.commit();
            stopped.get(10, TimeUnit.SECONDS);
        }
        try (Connection direct = proxy.pg.connect(); Statement d = direct.createStatement()) {
            try (ResultSet rs = d.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                assertThat(rs.getInt(1)).as("both rows committed").isEqualTo(2);
            }
            d.execute("DROP TABLE " + table);
        }
    }

    @Test
    void waitForClientsServesAnIdleClientUntilItDisconnects() throws Exception {
        try (Connection idle = proxy.connect(); Statement s = idle.createStatement()) {
            s.execute("SELECT 1");
            consoleCommand("SHUTDOWN WAIT_FOR_CLIENTS");
            awaitNotAccepting();
            assertThatThrownBy(proxy::connect).as("new clients are refused").isInstanceOf(SQLException.class);
            Thread.sleep(300);
            for (int i = 0; i < 3; i++) {
                try (ResultSet rs = s.executeQuery("SELECT " + i)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(i);
                }
            }
            idle.setAutoCommit(false);
            s.execute("SELECT 42");
            idle.commit();
            assertThat(stopped).as("pgmux runs while a client is connected").isNotDone();
        }
        stopped.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPlainShutdownOnAnOpenConsoleEndsTheWait() throws Exception {
        try (Connection idle = proxy.connect(); Statement s = idle.createStatement();
             Connection console = console(); Statement c = console.createStatement()) {
            s.execute("SELECT 1");
            c.execute("SHUTDOWN WAIT_FOR_CLIENTS");
            awaitNotAccepting();
            Thread.sleep(300);
            assertThat(stopped).as("still waiting for the clients").isNotDone();
            try {
                c.execute("SHUTDOWN");
            } catch (SQLException e) {
                // the connection may close before the answer arrives
            }
            stopped.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> s.execute("SELECT 1")).as("the idle client was disconnected")
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void anUnknownArgumentIsASyntaxErrorAndStopsNothing() throws Exception {
        try (Connection console = console(); Statement c = console.createStatement()) {
            assertThatThrownBy(() -> c.execute("SHUTDOWN WAIT_FOR_GODOT")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42601"));
        }
        assertThat(proxy.server.accepting()).isTrue();
        assertThat(AdminConsoleIntegrationTest.queryOne(proxy, "SELECT 7")).isEqualTo(7);
    }

    /** Runs a command on a console connection of its own and disconnects, as {@code psql -c} does. */
    private void consoleCommand(String sql) throws SQLException {
        try (Connection console = console(); Statement c = console.createStatement()) {
            c.execute(sql);
        }
    }

    private Connection console() throws SQLException {
        return proxy.connect("pgbouncer", proxy.pg.user(), proxy.pg.password());
    }

    /**
     * Waits until the listening socket itself refuses connections: {@code accepting()} turns false as the shutdown
     * begins, a moment before the socket closes, and a client accepted in that moment would wait for a backend.
     */
    private void awaitNotAccepting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (IOException refused) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(proxy.server.accepting()).as("the listener is closed").isFalse();
    }
}
