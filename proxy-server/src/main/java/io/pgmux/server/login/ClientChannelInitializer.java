package io.pgmux.server.login;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.pgmux.protocol.StartupDecoder;
import io.pgmux.config.LogSettings;
import io.pgmux.server.clients.ClientAdmission;
import io.pgmux.server.clients.PoolerErrorLog;
import io.pgmux.server.metrics.TrafficCounter;
import io.pgmux.server.session.ProxyContext;
import java.util.function.Supplier;

/**
 * Builds a new client connection's pipeline for the startup phase; later handlers replace themselves. The same
 * handlers serve a WebSocket client, behind the handlers that unwrap its frames ({@link #addProtocolHandlers}), so
 * that both carriers get one and the same session.
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    private final ProxyContext context;
    /** One for every channel: the log switches of the configuration in force. */
    private final Supplier<LogSettings> logSettings;

    public ClientChannelInitializer(ProxyContext context) {
        this.context = context;
        this.logSettings = () -> context.config().admin().logging();
    }

    @Override
    protected void initChannel(Channel ch) {
        addProtocolHandlers(ch, context.clientTls().enabled());
    }

    /**
     * Appends the handlers of a PostgreSQL client connection: admission, startup, and through them authentication
     * and the session. They read and write PostgreSQL bytes ({@code ByteBuf}), whatever carries them.
     *
     * @param directTls whether a TLS ClientHello may open the connection (TCP with client TLS on)
     */
    public void addProtocolHandlers(Channel ch, boolean directTls) {
        ch.attr(PoolerErrorLog.SETTINGS).set(logSettings);
        if (context.recordsMetrics()) {
            ch.pipeline().addLast("traffic", new TrafficCounter());
        }
        if (directTls) {
            ch.pipeline().addLast("direct-tls", new DirectTlsDetector(context.clientTls()));
        }
        ch.pipeline().addLast("admission", new ClientAdmission(context.clients()));
        ch.pipeline().addLast("startup", new StartupDecoder());
        ch.pipeline().addLast("client", new ClientStartupHandler(context));
    }
}
