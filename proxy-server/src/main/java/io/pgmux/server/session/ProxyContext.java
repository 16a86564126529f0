package io.pgmux.server.session;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.pool.CancelForwarder;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.server.admin.ServerControl;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.server.auth.Credentials;
import io.pgmux.server.clients.ClientRegistry;
import io.pgmux.server.clients.PeerCancels;
import io.pgmux.server.login.ClientTls;
import io.pgmux.server.metrics.ProxyMetrics;
import io.pgmux.server.metrics.SessionMetrics;
import io.pgmux.server.notify.NotifyHubs;
import io.pgmux.server.pinning.PinCounters;

/**
 * What every client connection of one running server shares.
 *
 * <p>{@link #config()} and {@link #credentials()} return the snapshot in force now (RELOAD swaps it), not the
 * {@code config} and {@code credentials} the server started with, which remain only as a fallback when no
 * {@code live} holder is given. Read the snapshot once per decision.
 */
public record ProxyContext(PgmuxConfig config, PoolRegistry pools, ClientRegistry clients, CancelForwarder cancels,
                    Credentials credentials, TimeoutSweeper sweeper, PinCounters pinCounters,
                    ProxyMetrics metrics, ServerControl control, LiveConfig live,
                    ClientTls clientTls, AuthFailures authFailures, PeerCancels peerCancels,
                    NotifyHubs notifyHubs) {

    @Override
    public PgmuxConfig config() {
        return live == null ? config : live.config();
    }

    @Override
    public Credentials credentials() {
        return live == null ? credentials : live.credentials();
    }

    /**
     * Whether client traffic is measured: only when the metrics endpoint is enabled ({@code admin_listen} set at
     * start-up), so that a pgmux without it spends nothing per message on figures nobody reads (and the benchmark
     * can compare both).
     */
    public boolean recordsMetrics() {
        return metrics != null && config.adminListen() != null;
    }

    /** The figures a session of (database, user) records on its data path; {@link SessionMetrics#NOOP} when off. */
    SessionMetrics sessionMetrics(String database, String user) {
        return recordsMetrics() ? metrics.session(database, user) : SessionMetrics.NOOP;
    }
}
