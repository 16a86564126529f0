package io.pgmux.server;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts pgmux's backends as PostgreSQL sees them (client backends of the test role, minus the sampler's own
 * connection) every few milliseconds, and keeps the peak. Stops on close.
 */
final class BackendSampler implements AutoCloseable {
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private BackendSampler(TestProxy proxy) {
        thread = new Thread(() -> sample(proxy), "backend-sampler");
        thread.start();
    }

    static BackendSampler start(TestProxy proxy) {
        return new BackendSampler(proxy);
    }

    int max() {
        return max.get();
    }

    private void sample(TestProxy proxy) {
        try (Connection direct = proxy.pg.connect(); Statement s = direct.createStatement()) {
            while (running.get()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '"
                        + proxy.pg.user() + "' AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
                    rs.next();
                    max.accumulateAndGet(rs.getInt(1), Math::max);
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
