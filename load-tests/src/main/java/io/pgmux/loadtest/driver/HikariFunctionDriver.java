// The traditional baseline: long-lived app servers, each with a fixed HikariCP pool, serving the same requests.
package io.pgmux.loadtest.driver;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgmux.loadtest.workload.TransactionSpec;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code appServers} pools of {@code poolSize} connections each, opened up front; function {@code i} is a request
 * that borrows from pool {@code i % appServers}. Its "connect" latency is the wait for a pooled connection. The think
 * time is spent after the connection went back, as an app server would, so it does not hold a backend.
 */
public final class HikariFunctionDriver extends BlockingFunctionDriver {
    private static final long FILL_WAIT_MILLIS = 30_000;

    private final List<HikariDataSource> pools = new ArrayList<>();
    private final AtomicLong next = new AtomicLong();

    public HikariFunctionDriver(Target target, Credentials credentials, TransactionSpec transaction, int appServers,
                                int poolSize) {
        super(transaction, appServers * poolSize * 2, "loadtest-app");
        try {
            for (int i = 0; i < appServers; i++) {
                pools.add(new HikariDataSource(config(target, credentials, poolSize, i)));
            }
            awaitFilled(poolSize);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static HikariConfig config(Target target, Credentials credentials, int poolSize, int index) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("loadtest-app-" + index);
        config.setJdbcUrl(target.jdbcUrl(credentials.database()));
        for (Map.Entry<Object, Object> e : JdbcProperties.of(credentials).entrySet()) {
            config.addDataSourceProperty((String) e.getKey(), e.getValue());
        }
        config.setUsername(credentials.user());
        config.setPassword(credentials.password());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setConnectionTimeout(Math.max(250, credentials.connectTimeoutMillis()));
        return config;
    }

    /** Waits (bounded) until every pool holds its connections, so the run measures a warm baseline. */
    private void awaitFilled(int poolSize) {
        long deadline = System.currentTimeMillis() + FILL_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (pools.stream().allMatch(p -> p.getHikariPoolMXBean().getTotalConnections() >= poolSize)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String clientName() {
        return "hikari";
    }

    @Override
    protected Connection open() throws SQLException {
        return pools.get((int) (next.getAndIncrement() % pools.size())).getConnection();
    }

    @Override
    protected boolean thinksWhileConnected() {
        return false;
    }

    @Override
    public void close() {
        super.close();
        pools.forEach(HikariDataSource::close);
    }
}
