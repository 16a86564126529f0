// Answers the admin HTTP endpoints: /metrics, /health/live, /health/ready and /health/backends.
package io.pgmux.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pgmux.server.metrics.ProxyMetrics;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per connection. GET (or HEAD) only; any other path is 404, any other method 405. Scrapes run on the
 * admin loop, so a slow scrape never delays client traffic.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final ProxyMetrics metrics;
    private final BooleanSupplier ready;
    private final BooleanSupplier backendsReachable;

    AdminHttpHandler(ProxyMetrics metrics, BooleanSupplier ready, BooleanSupplier backendsReachable) {
        this.metrics = metrics;
        this.ready = ready;
        this.backendsReachable = backendsReachable;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        FullHttpResponse response;
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            response = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is supported\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else {
            response = route(ctx, new QueryStringDecoder(request.uri()).path(),
                    request.headers().get(HttpHeaderNames.ACCEPT));
        }
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(ChannelHandlerContext ctx, String path, String accept) {
        switch (path) {
            case "/metrics":
                return scrape(ctx, accept);
            case "/health/live":
                return text(ctx, HttpResponseStatus.OK, "live\n");
            case "/health/ready":
                return ready.getAsBoolean()
                        ? text(ctx, HttpResponseStatus.OK, "ready\n")
                        : text(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready\n");
            case "/health/backends":
                return backendsReachable.getAsBoolean()
                        ? text(ctx, HttpResponseStatus.OK, "reachable\n")
                        : text(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "unreachable\n");
            default:
                return text(ctx, HttpResponseStatus.NOT_FOUND,
                        "not found; try /metrics, /health/live, /health/ready, /health/backends\n");
        }
    }

    private FullHttpResponse scrape(ChannelHandlerContext ctx, String accept) {
        ByteBuf body = ctx.alloc().buffer(64 * 1024);
        try {
            metrics.scrape(new ByteBufOutputStream(body), accept);
        } catch (IOException | RuntimeException e) {
            body.release();
            log.warn("metrics scrape failed", e);
            return text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "scrape failed\n");
        }
        return response(HttpResponseStatus.OK, ProxyMetrics.contentType(accept), body);
    }

    private static FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        return response(status, TEXT, ByteBufUtil.writeUtf8(ctx.alloc(), body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, body.readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin HTTP connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
