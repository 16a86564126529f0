// Starts pgmux in this JVM in front of the shared test PostgreSQL, for the load-tests integration tests.
package io.pgmux.loadtest;

import io.pgmux.config.ConfigLoader;
import io.pgmux.pool.Pool;
import io.pgmux.server.PgmuxServer;
import io.pgmux.testing.PostgresFixture;
import java.util.Map;

/** A pgmux server in transaction mode on a free 127.0.0.1 port, with both test roles as md5 users. */
public final class TestPgmux implements AutoCloseable {
    public final PostgresFixture pg = PostgresFixture.shared();
    public final PgmuxServer server;
    public final int poolSize;

    private TestPgmux(PgmuxServer server, int poolSize) {
        this.server = server;
        this.poolSize = poolSize;
    }

    /** Starts pgmux with {@code poolSize} backends per pool and a generous wait timeout, so storms queue. */
    public static TestPgmux start(int poolSize) throws InterruptedException {
        return start(poolSize, Map.of());
    }

    /** Like {@link #start(int)}, with more client users (name to plain password) that pgmux passes through. */
    public static TestPgmux start(int poolSize, Map<String, String> extraUsers) throws InterruptedException {
        PostgresFixture pg = PostgresFixture.shared();
        StringBuilder users = new StringBuilder();
        extraUsers.forEach((user, password) -> users.append("  ").append(user).append(":\n    password: ")
                .append(password).append('\n'));
        String yaml = """
                listen: 127.0.0.1:0
                auth_type: md5
                pool:
                  mode: transaction
                  default_pool_size: %d
                  max_client_conn: 20000
                timeouts:
                  query_wait_timeout: 60s
                  server_connect_timeout: 10s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                  %s:
                    password: %s
                """.formatted(poolSize, pg.database(), pg.host(), pg.port(), pg.user(), pg.password(),
                pg.md5User(), pg.md5Password()) + users;
        return new TestPgmux(new PgmuxServer(ConfigLoader.fromYaml(yaml)).start(), poolSize);
    }

    public int port() {
        return server.port();
    }

    /** The first pool pgmux created, or null before any client logged in. */
    public Pool firstPool() {
        return server.pools().pools().stream().findFirst().orElse(null);
    }

    @Override
    public void close() {
        server.close();
    }
}
