// log_pooler_errors: a line for every FATAL error pgmux itself sends a client.
package io.pgmux.server.clients;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.pgmux.config.LogSettings;
import io.pgmux.protocol.PgException;
import io.pgmux.server.logging.LogSafe;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PgBouncer's log_pooler_errors: the errors that end a client's connection and come from pgmux, not from
 * PostgreSQL (no such database, login refused, query_wait_timeout, a protocol violation, ...), logged at WARN with
 * their SQLSTATE. A client channel carries the log switches in force (RELOAD changes them) as an attribute set when
 * the channel is created; a channel without it logs nothing.
 */
public final class PoolerErrorLog {
    /** The log switches in force, for the channel's {@link ClientErrors}. */
    public static final AttributeKey<Supplier<LogSettings>> SETTINGS = AttributeKey.valueOf("pgmux.logSettings");

    private static final Logger LOG = LoggerFactory.getLogger(PoolerErrorLog.class);

    private PoolerErrorLog() {
    }

    static void record(Channel channel, PgException error) {
        if (!channel.hasAttr(SETTINGS)) {
            return;
        }
        Supplier<LogSettings> settings = channel.attr(SETTINGS).get();
        if (settings != null && settings.get().poolerErrors()) {
            LOG.warn("{}: pooler error {}: {}", channel, error.sqlState(), LogSafe.escape(error.getMessage()));
        }
    }
}
