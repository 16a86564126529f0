// One logged-in client as the admin console and the metrics see it.
package io.pgmux.server.metrics;

import io.netty.channel.Channel;
import java.net.SocketAddress;

/**
 * A logged-in client connection. Immutable except for the channel it refers to, which the console may close (KILL,
 * SHUTDOWN).
 *
 * @param id          pgmux's connection id, also shown in logs and as {@code ptr} in SHOW CLIENTS
 * @param database    the database the client asked for ({@code pgbouncer} for console clients)
 * @param user        the user it logged in as
 * @param channel     its socket; closing it disconnects the client
 * @param connectedAt wall-clock time of the login, in epoch milliseconds
 * @param meters      the pool figures it counts towards; null for console clients
 * @param applicationName the application_name of its startup packet, or empty
 */
public record ClientEntry(long id, String database, String user, Channel channel, long connectedAt,
                          PoolMeters meters, String applicationName) {

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    public SocketAddress localAddress() {
        return channel.localAddress();
    }
}
