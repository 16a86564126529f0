// A pool registry with its own event loops in front of the shared test PostgreSQL, plus helpers to observe it.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.protocol.transport.Transport;
import io.pgmux.testing.PostgresFixture;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Starts a {@link PoolRegistry} on four NIO event loops with a configuration whose databases point at the shared
 * test PostgreSQL: {@code app} and {@code app2} (same real database), plus whatever the test adds. Users are the
 * fixture's SCRAM and md5 roles with their real passwords.
 */
final class PoolTestBed implements AutoCloseable {
    static final PostgresFixture PG = PostgresFixture.shared();

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
    final PgmuxConfig config;
    final PoolRegistry registry;

    private PoolTestBed(PgmuxConfig config, boolean withLoops) {
        this.config = config;
        ServerConnector connector = new ServerConnector(Transport.nio(), config.timeouts().serverConnectTimeout(),
                1 << 20);
        this.registry = new PoolRegistry(config, connector, withLoops ? group : null);
    }

    /**
     * @param sections       YAML for the {@code pool} and {@code timeouts} sections (and nothing else)
     * @param extraDatabases YAML entries added under {@code databases}, indented by two spaces, or ""
     */
    static PoolTestBed start(String sections, String extraDatabases) {
        return start(sections, extraDatabases, "");
    }

    /** Like {@link #start(String, String)}, with {@code userSettings} (", key: value") added to the SCRAM user. */
    static PoolTestBed start(String sections, String extraDatabases, String userSettings) {
        return new PoolTestBed(ConfigLoader.fromYaml(yaml(sections, extraDatabases, userSettings)), true);
    }

    /** Like {@link #start}, but the registry gets no event loops, as when a server does not hand it its group. */
    static PoolTestBed startWithoutLoops(String sections) {
        return new PoolTestBed(ConfigLoader.fromYaml(yaml(sections, "", "")), false);
    }

    private static String yaml(String sections, String extraDatabases, String userSettings) {
        return """
                auth_type: md5
                %s
                databases:
                  app: {host: %s, port: %d, dbname: %s}
                  app2: {host: %s, port: %d, dbname: %s}
                %s
                users:
                  %s: {password: "%s"%s}
                  %s: {password: "%s"}
                """.formatted(sections.strip(), PG.host(), PG.port(), PG.database(), PG.host(), PG.port(),
                PG.database(), extraDatabases.isBlank() ? "" : extraDatabases.stripTrailing(), PG.user(),
                PG.password(), userSettings, PG.md5User(), PG.md5Password());
    }

    EventLoop loop() {
        return group.next();
    }

    /** Acquires from {@code pool} and waits for the backend; fails the test after 10 s. */
    ServerConnection acquire(Pool pool) throws Exception {
        return pool.acquire(loop()).get(10, TimeUnit.SECONDS);
    }

    /** Waits for {@code future} to fail and returns the cause; fails the test if it succeeds or takes 10 s. */
    static Throwable failureOf(Future<?> future) throws InterruptedException {
        assertThat(future.await(10, TimeUnit.SECONDS)).as("future completes").isTrue();
        assertThat(future.isSuccess()).as("future fails").isFalse();
        return future.cause();
    }

    /** Polls {@code condition} every 20 ms until it holds; fails the test with {@code what} after {@code max}. */
    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max.toMillis() + " ms waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Of the given backend process ids, those PostgreSQL still lists in pg_stat_activity. */
    static Set<Integer> livePids(Collection<Integer> pids) throws SQLException {
        try (Connection c = PG.connect();
             PreparedStatement s = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE pid = ANY (?)")) {
            Array array = c.createArrayOf("int4", pids.toArray());
            s.setArray(1, array);
            Set<Integer> live = new HashSet<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    live.add(rows.getInt(1));
                }
            }
            return live;
        }
    }

    /** Ends a backend from the PostgreSQL side, as an administrator or a server restart would. */
    static void terminate(int pid) throws SQLException {
        try (Connection c = PG.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }

    static int pid(ServerConnection server) {
        return server.backendKey().processId();
    }

    @Override
    public void close() {
        registry.closeAll();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
