package io.pgmux.server;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.pool.PoolRegistry;

/** What every client connection of one running server shares. */
record ProxyContext(PgmuxConfig config, PoolRegistry pools, ClientRegistry clients, CancelForwarder cancels,
                    Credentials credentials, TimeoutSweeper sweeper, PinCounters pinCounters,
                    ClientTls clientTls, AuthFailures authFailures) {
}
