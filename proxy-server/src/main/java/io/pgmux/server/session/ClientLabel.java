package io.pgmux.server.session;

import io.netty.channel.Channel;
import io.pgmux.server.clients.ClientTransport;
import io.pgmux.server.logging.LogSafe;

/**
 * How log lines name a client: {@code client 123 (user@db from /10.0.0.7:51234)}. Built only when a line is
 * actually written, because most clients of a storm never appear in a log at WARN and each eagerly built label cost
 * every login a string concatenation, an address formatting and about 150 bytes of heap for as long as the client
 * stays connected. The user and database are client-supplied, so they are escaped.
 */
final class ClientLabel {

    private final int processId;
    private final String user;
    private final String database;
    private final Channel channel;

    ClientLabel(int processId, String user, String database, Channel channel) {
        this.processId = processId;
        this.user = user;
        this.database = database;
        this.channel = channel;
    }

    @Override
    public String toString() {
        return "client " + processId + " (" + LogSafe.escape(user) + "@" + LogSafe.escape(database)
                + " from " + (ClientTransport.isUnixSocket(channel) ? "unix socket" : channel.remoteAddress()) + ")";
    }
}
