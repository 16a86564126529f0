// A database's own min_pool_size, reserve and max_db_connections, and a user's own max_user_connections.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.Future;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerDatabaseLimitsIntegrationTest {
    private static final String SCRAM = PoolTestBed.PG.user();
    private static final String MD5 = PoolTestBed.PG.md5User();

    private static String database(String name, String settings) {
        return "  %s: {host: %s, port: %d, dbname: %s, %s}".formatted(name, PoolTestBed.PG.host(),
                PoolTestBed.PG.port(), PoolTestBed.PG.database(), settings);
    }

    @Test
    void aDatabasesOwnMaxDbConnectionsHoldsAcrossItsUsersWhileOthersKeepThePoolSectionsLimit() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 5, max_db_connections: 3}
                timeouts: {query_wait_timeout: 20s}
                """, database("capped", "max_db_connections: 1"))) {
            Pool scram = bed.registry.pool("capped", SCRAM);
            Pool md5 = bed.registry.pool("capped", MD5);
            ServerConnection held = bed.acquire(scram);

            Future<ServerConnection> waiting = md5.acquire(bed.loop());
            Thread.sleep(300);
            assertThat(waiting.isDone()).as("the database's one slot is in use").isFalse();
            assertThat(md5.stats().total()).isZero();
            assertThat(bed.registry.databaseBudget("capped").limit()).isEqualTo(1);

            scram.release(held, false); // idle in the other pool: evicted for the waiting client
            ServerConnection served = waiting.get(10, TimeUnit.SECONDS);
            assertThat(served.pool()).isSameAs(md5);
            md5.release(served, false);

            bed.registry.pool("app", SCRAM);
            assertThat(bed.registry.databaseBudget("app").limit()).as("the pool section's").isEqualTo(3);
        }
    }

    @Test
    void aDatabasesOwnMinimumAndReserveApplyToItsPoolsOnly() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 3, min_pool_size: 0, reserve_pool_size: 0}
                """, database("warm", "min_pool_size: 2, reserve_pool_size: 1"))) {
            Pool warm = bed.registry.pool("warm", SCRAM);
            Pool cold = bed.registry.pool("app", SCRAM);
            PoolTestBed.await("the database's minimum is opened", Duration.ofSeconds(10),
                    () -> warm.stats().idle() == 2);
            assertThat(warm.limits().reserveSize()).isEqualTo(1);
            assertThat(cold.limits().minSize()).isZero();
            assertThat(cold.limits().reserveSize()).isZero();
            assertThat(cold.stats().total()).isZero();
        }
    }

    @Test
    void aUsersOwnMaxUserConnectionsHoldsAcrossDatabases() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 5, max_user_connections: 4}
                timeouts: {query_wait_timeout: 20s}
                """, "", ", max_user_connections: 1")) {
            Pool app = bed.registry.pool("app", SCRAM);
            Pool app2 = bed.registry.pool("app2", SCRAM);
            ServerConnection held = bed.acquire(app);

            Future<ServerConnection> waiting = app2.acquire(bed.loop());
            Thread.sleep(300);
            assertThat(waiting.isDone()).as("the user's one slot is in use").isFalse();
            assertThat(bed.registry.userBudget(SCRAM).limit()).isEqualTo(1);
            app.release(held, false);
            app2.release(waiting.get(10, TimeUnit.SECONDS), false);

            bed.registry.pool("app", MD5);
            assertThat(bed.registry.userBudget(MD5).limit()).as("the pool section's").isEqualTo(4);
        }
    }

    @Test
    void aUsersPoolSizeWinsOverTheDatabasesAndADatabasesServerLifetimeAppliesToItsPools() throws Exception {
        try (PoolTestBed bed = PoolTestBed.start("""
                pool: {default_pool_size: 5}
                timeouts: {server_lifetime: 1h}
                """, database("short_lived", "pool_size: 4, server_lifetime: 30s"), ", pool_size: 1")) {
            Pool scram = bed.registry.pool("short_lived", SCRAM);
            Pool md5 = bed.registry.pool("short_lived", MD5);
            assertThat(scram.limits().maxSize()).as("the user's pool_size").isEqualTo(1);
            assertThat(md5.limits().maxSize()).as("the database's pool_size").isEqualTo(4);
            assertThat(md5.limits().serverLifetime()).isEqualTo(Duration.ofSeconds(30));
            assertThat(bed.registry.pool("app", MD5).limits().serverLifetime()).isEqualTo(Duration.ofHours(1));

            ServerConnection held = bed.acquire(scram);
            Future<ServerConnection> second = scram.acquire(bed.loop());
            Thread.sleep(300);
            assertThat(second.isDone()).as("one backend for this user's pool").isFalse();
            scram.release(held, false);
            scram.release(second.get(10, TimeUnit.SECONDS), false);
        }
    }
}
