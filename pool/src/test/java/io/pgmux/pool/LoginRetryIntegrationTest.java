// server_login_retry: after a failed login the pool waits before trying again; who is told at once and who waits.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginRetryIntegrationTest {
    private static final PostgresRole ROLE = new PostgresRole("pgmux_retry_" + System.nanoTime(), "retry-secret");

    @Test
    void failingLoginIsNotRetriedBeforeTheBackoffAndNewClientsGetTheErrorAtOnce() throws Exception {
        String wrongPassword = "  locked: {host: %s, port: %d, dbname: %s, user: %s, password: not-the-password}"
                .formatted(PoolTestBed.PG.host(), PoolTestBed.PG.port(), PoolTestBed.PG.database(),
                        PoolTestBed.PG.md5User());
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 2}
                timeouts: {server_login_retry: 1500ms, query_wait_timeout: 20s}
                """, wrongPassword)) {
            Pool pool = bed.registry.pool("locked", "anyone");
            long start = System.nanoTime();
            PgException first = (PgException) PoolTestBed.failureOf(pool.acquire(bed.loop()));
            assertThat(first.sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
            assertThat(first.getMessage()).doesNotContain("has been failing");

            PgException second = (PgException) PoolTestBed.failureOf(pool.acquire(bed.loop()));
            assertThat(second.sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
            assertThat(second.getMessage()).startsWith("server login has been failing")
                    .contains("server_login_retry").contains(first.getMessage());
            assertThat(System.nanoTime() - start).as("nobody waited for query_wait_timeout")
                    .isLessThan(Duration.ofSeconds(10).toNanos());
            assertThat(pool.counters().connectAttempts()).isEqualTo(1);
            assertThat(pool.counters().connectFailures()).isEqualTo(1);

            Thread.sleep(1600);
            PgException third = (PgException) PoolTestBed.failureOf(pool.acquire(bed.loop()));
            assertThat(third.getMessage()).doesNotContain("has been failing");
            assertThat(pool.counters().connectAttempts()).as("a new attempt after the back-off").isEqualTo(2);
            Thread.sleep(1700); // past the back-off and two janitor ticks
            assertThat(pool.counters().connectAttempts()).as("no retry without a client asking").isEqualTo(2);
        }
    }

    @Test
    void clientsAlreadyWaitingKeepWaitingThroughFailedLoginsAndAreServed() throws Exception {
        String limited = "  limited: {host: %s, port: %d, dbname: %s, user: %s, password: %s}".formatted(
                PoolTestBed.PG.host(), PoolTestBed.PG.port(), PoolTestBed.PG.database(), ROLE.name, ROLE.password);
        ROLE.create();
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 2}
                timeouts: {server_login_retry: 4s, query_wait_timeout: 20s}
                """, limited)) {
            Pool pool = bed.registry.pool("limited", "anyone");
            ServerConnection only = bed.acquire(pool);
            ROLE.limitConnections(1); // PostgreSQL now refuses a second backend of this role

            Future<ServerConnection> waitingB = pool.acquire(bed.loop());
            PoolTestBed.await("the second login failed", Duration.ofSeconds(10),
                    () -> pool.counters().connectFailures() == 1);
            Future<ServerConnection> waitingC = pool.acquire(bed.loop());
            Thread.sleep(200);
            assertThat(waitingB.isDone()).as("a client already waiting keeps waiting").isFalse();
            assertThat(waitingC.isDone()).as("the pool has a backend: wait for it").isFalse();
            assertThat(pool.counters().connectAttempts()).as("no new attempt during the back-off").isEqualTo(2);

            pool.release(only, false);
            assertThat(waitingB.get(5, TimeUnit.SECONDS)).isSameAs(only);
            pool.release(only, false);
            assertThat(waitingC.get(5, TimeUnit.SECONDS)).isSameAs(only);

            PoolTestBed.terminate(PoolTestBed.pid(only));
            PoolTestBed.await("the pool has no backend left", Duration.ofSeconds(5), () -> pool.stats().total() == 0);
            PgException refused = (PgException) PoolTestBed.failureOf(pool.acquire(bed.loop()));
            assertThat(refused.sqlState()).isEqualTo(SqlState.TOO_MANY_CONNECTIONS);
            assertThat(refused.getMessage()).startsWith("server login has been failing");

            ROLE.limitConnections(-1);
            PoolTestBed.await("the back-off ends and a client is served", Duration.ofSeconds(10), () -> {
                Future<ServerConnection> attempt = pool.acquire(bed.loop()).awaitUninterruptibly();
                if (attempt.isSuccess()) {
                    pool.release(attempt.getNow(), false);
                }
                return attempt.isSuccess();
            });
        } finally {
            ROLE.drop();
        }
    }

    /** A throw-away login role on the shared server, so that its limits do not affect other tests. */
    private record PostgresRole(String name, String password) {
        void create() throws Exception {
            execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
        }

        void limitConnections(int limit) throws Exception {
            execute("ALTER ROLE " + name + " CONNECTION LIMIT " + limit);
        }

        void drop() throws Exception {
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + name + "'");
            execute("DROP ROLE IF EXISTS " + name);
        }

        private static void execute(String sql) throws Exception {
            try (Connection c = PoolTestBed.PG.connect(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }
}
