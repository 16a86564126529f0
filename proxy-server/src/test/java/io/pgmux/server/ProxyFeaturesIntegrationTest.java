package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Features that need a pgmux of their own: SCRAM clients, client limits, cancel in every pool mode, HikariCP. */
@DetectLeaks
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProxyFeaturesIntegrationTest {

    @Test
    void scramClientsLogIn() throws Exception {
        try (TestProxy proxy = TestProxy.start("session", 2, "scram-sha-256", "", "")) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(proxy.pg.user());
            }
            Properties wrong = new Properties();
            wrong.setProperty("password", "wrong");
            assertThatThrownBy(() -> proxy.connect(wrong).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void clientsBeyondMaxClientConnGet53300() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 2, "md5", "max_client_conn: 3", "")) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(proxy.connect());
                }
                assertThatThrownBy(() -> proxy.connect().close())
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("53300"));
                held.remove(0).close();
                Thread.sleep(100); // the slot is freed when pgmux sees the socket close
                try (Connection again = proxy.connect(); Statement s = again.createStatement();
                     ResultSet rs = s.executeQuery("SELECT 1")) {
                    assertThat(rs.next()).isTrue();
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "statement"})
    void cancelStopsARunningQuery(String mode) throws Exception {
        try (TestProxy proxy = TestProxy.start(mode, 2); Connection c = proxy.connect();
             Statement s = c.createStatement()) {
            ExecutorService canceller = Executors.newSingleThreadExecutor();
            try {
                Future<?> cancel = canceller.submit(() -> {
                    Thread.sleep(500);
                    s.cancel();
                    return null;
                });
                long start = System.nanoTime();
                assertThatThrownBy(() -> s.execute("SELECT pg_sleep(30)"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("57014"));
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500);
                cancel.get();
                try (ResultSet rs = s.executeQuery("SELECT 'after cancel'")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("after cancel");
                }
            } finally {
                canceller.shutdownNow();
            }
        }
    }

    @Test
    void statementPoolingRefusesTransactionBlocks() throws Exception {
        try (TestProxy proxy = TestProxy.start("statement", 2); Connection c = proxy.connect();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 'single statements are fine'")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> {
                try (Connection d = proxy.connect(); Statement ds = d.createStatement()) {
                    ds.execute("BEGIN"); // answered, then the session is ended with the error below
                    ds.execute("SELECT 1");
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("0A000");
                assertThat(e.getMessage()).contains("transaction blocks not allowed in statement pooling mode");
            });
            try (Connection d = proxy.connect(); Statement ds = d.createStatement();
                 ResultSet rs = ds.executeQuery("SELECT 'pool still healthy'")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void forgedCancelKeyCancelsNothing() throws Exception {
        try (TestProxy proxy = TestProxy.start("session", 2); Connection c = proxy.connect();
             Statement s = c.createStatement()) {
            ExecutorService forger = Executors.newSingleThreadExecutor();
            try {
                forger.submit(() -> {
                    Thread.sleep(200);
                    for (int pid = 1; pid < 50; pid++) {
                        try (RawClient raw = new RawClient(proxy.port())) {
                            raw.out.writeInt(16);
                            raw.out.writeInt(80877102);
                            raw.out.writeInt(pid);
                            raw.out.writeInt(12345);
                            raw.out.flush();
                            raw.closedByServer();
                        }
                    }
                    return null;
                });
                try (ResultSet rs = s.executeQuery("SELECT pg_sleep(1.5), 'not cancelled'")) {
                    rs.next();
                    assertThat(rs.getString(2)).isEqualTo("not cancelled");
                }
            } finally {
                forger.shutdownNow();
            }
        }
    }

    @Test
    void hikariPoolInFrontOfPgmux() throws Exception {
        try (TestProxy proxy = TestProxy.start("session", 16)) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(proxy.jdbcUrl());
            config.setUsername(proxy.pg.user());
            config.setPassword(proxy.pg.password());
            config.setMaximumPoolSize(16);
            try (HikariDataSource ds = new HikariDataSource(config)) {
                ExecutorService workers = Executors.newFixedThreadPool(8);
                try {
                    List<Future<Long>> sums = new ArrayList<>();
                    for (int w = 0; w < 8; w++) {
                        sums.add(workers.submit(() -> {
                            long sum = 0;
                            for (int i = 0; i < 250; i++) {
                                try (Connection c = ds.getConnection();
                                     PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                                    ps.setInt(1, i);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        rs.next();
                                        sum += rs.getInt(1);
                                    }
                                }
                            }
                            return sum;
                        }));
                    }
                    for (Future<Long> sum : sums) {
                        assertThat(sum.get(60, TimeUnit.SECONDS)).isEqualTo(250L * 251 / 2);
                    }
                } finally {
                    workers.shutdownNow();
                }
            }
        }
    }
}
