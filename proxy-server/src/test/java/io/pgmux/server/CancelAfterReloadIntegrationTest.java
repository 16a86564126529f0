package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A cancel reaches the server the client's backend is on, also after RELOAD pointed the database elsewhere (the
 * backend's process id and secret mean nothing to the new address), with the TLS settings the backend was opened
 * with.
 */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CancelAfterReloadIntegrationTest {

    @Test
    void cancelGoesToTheAddressTheBackendWasOpenedAgainst() throws Exception {
        try (TcpRelay before = new TcpRelay(FreePorts.find(), pgHost(), pgPort());
             TcpRelay after = new TcpRelay(FreePorts.find(), pgHost(), pgPort())) {
            before.start();
            // "after" is not listening yet: a CancelRequest sent to the pool's new address would be lost.
            try (OpsProxy proxy = OpsProxy.start("transaction", 2, "", "127.0.0.1", before.port());
                 Connection client = proxy.connect(); Statement query = client.createStatement();
                 Connection console = proxy.connect("pgmux", proxy.pg.user(), proxy.pg.password());
                 Statement c = console.createStatement()) {
                String marker = "cancel_after_reload_" + UUID.randomUUID().toString().replace('-', '_');
                ExecutorService runner = Executors.newSingleThreadExecutor();
                try {
                    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> execute(query,
                            "SELECT pg_sleep(30) /* " + marker + " */"), runner);
                    awaitRunning(proxy, marker);
                    proxy.yaml.set(proxy.yaml.get().replace("port: " + before.port(), "port: " + after.port()));
                    c.execute("RELOAD");

                    long start = System.nanoTime();
                    query.cancel();
                    assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .cause().isInstanceOfSatisfying(SQLException.class,
                                    e -> assertThat(e.getSQLState()).isEqualTo("57014"));
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
                } finally {
                    runner.shutdownNow();
                }

                // The new address serves the same PostgreSQL once it listens; the client's next query goes there.
                after.start();
                c.execute("WAIT_CLOSE");
                try (ResultSet rs = query.executeQuery("SELECT 'after reload'")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("after reload");
                }
                assertThat(AdminConsoleIntegrationTest.rows(c, "SHOW SERVERS")).isNotEmpty()
                        .allSatisfy(r -> assertThat(r).containsEntry("port", String.valueOf(after.port())));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"disable, 80877102", "prefer, 80877103"})
    void cancelUsesTheTlsSettingsOfTheBackend(String sslmode, int openingCode) throws Exception {
        // The test PostgreSQL has no TLS: with prefer, the SSLRequest is refused and the cancel follows in plain text.
        try (TcpRelay relay = new TcpRelay(FreePorts.find(), pgHost(), pgPort())) {
            relay.start();
            String yaml = "server_tls_sslmode: " + sslmode + "\n"
                    + OpsProxy.yaml("transaction", 2, "", "127.0.0.1", relay.port());
            try (OpsProxy proxy = OpsProxy.start(yaml, ConfigLoader::fromYaml);
                 Connection client = proxy.connect(); Statement query = client.createStatement()) {
                String marker = "cancel_tls_" + sslmode;
                ExecutorService runner = Executors.newSingleThreadExecutor();
                try {
                    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> execute(query,
                            "SELECT pg_sleep(30) /* " + marker + " */"), runner);
                    awaitRunning(proxy, marker);
                    query.cancel();
                    assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
                            .cause().isInstanceOfSatisfying(SQLException.class,
                                    e -> assertThat(e.getSQLState()).isEqualTo("57014"));
                } finally {
                    runner.shutdownNow();
                }
                List<byte[]> openings = relay.openings();
                assertThat(openings).as("the backend's login, then the cancel").hasSize(2);
                assertThat(ByteBuffer.wrap(openings.get(1)).getInt(4)).isEqualTo(openingCode);
            }
        }
    }

    private static void execute(Statement statement, String sql) {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    /**
     * Waits until the query sleeps inside pg_sleep: PostgreSQL ignores a cancel that arrives while it waits for the
     * next message of an extended-protocol batch, which "active" alone does not rule out.
     */
    private static void awaitRunning(OpsProxy proxy, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection direct = proxy.pg.connect(); Statement s = direct.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                        + " AND wait_event = 'PgSleep' AND query LIKE '%" + marker + "%' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the query never started on PostgreSQL");
    }

    private static String pgHost() {
        return PostgresFixture.shared().host();
    }

    private static int pgPort() {
        return PostgresFixture.shared().port();
    }
}
