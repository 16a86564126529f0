package io.pgmux.server;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.server.metrics.ClientDirectory;
import io.pgmux.server.metrics.ProxyMetrics;
import io.pgmux.server.metrics.SessionMetrics;

/** What every client connection of one running server shares. */
record ProxyContext(PgmuxConfig config, PoolRegistry pools, ClientRegistry clients, CancelForwarder cancels,
                    Credentials credentials, TimeoutSweeper sweeper, PinCounters pinCounters,
                    ClientDirectory directory, ProxyMetrics metrics) {

    /** The figures a session of (database, user) records on its data path; never null. */
    SessionMetrics sessionMetrics(String database, String user) {
        return metrics == null ? SessionMetrics.NOOP : metrics.session(database, user);
    }
}
