// Builds the pipeline of a connection to the HTTP query endpoint (http_listen).
package io.pgmux.server.transport.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.pgmux.config.WebTransportSettings;
import io.pgmux.server.session.ProxyContext;
import java.util.concurrent.TimeUnit;

/**
 * {@code [tls] → http codec → keep-alive → aggregator (http_max_request_size; larger bodies get 413) → idle timer →
 * SqlOverHttpHandler}. TLS, with the client TLS files, is on whenever they are configured.
 */
public final class HttpQueryChannelInitializer extends ChannelInitializer<Channel> {
    /** How long a kept-alive connection may sit unused: longer than the usual pause of a warm function. */
    private static final long KEEP_ALIVE_IDLE_SECONDS = 75;

    private final ProxyContext context;
    private final WebTransportSettings settings;

    public HttpQueryChannelInitializer(ProxyContext context, WebTransportSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (context.clientTls().enabled()) {
            ch.pipeline().addLast("tls", context.clientTls().newHandler(ch.alloc()));
        }
        ch.pipeline().addLast("http", new HttpServerCodec());
        ch.pipeline().addLast("keep-alive", new HttpServerKeepAliveHandler());
        ch.pipeline().addLast("body", new HttpObjectAggregator(settings.httpMaxRequestSize()));
        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, KEEP_ALIVE_IDLE_SECONDS, TimeUnit.SECONDS));
        ch.pipeline().addLast("sql", new SqlOverHttpHandler(context, settings));
    }
}
