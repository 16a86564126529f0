// Answers POST /sql: authenticates the connection string, runs the statements on a pooled backend, writes JSON.
package io.pgmux.server.transport.http;

import io.netty.buffer.Unpooled;
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
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.pgmux.config.AuthType;
import io.pgmux.config.WebTransportSettings;
import io.pgmux.pool.Pool;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.auth.CleartextPassword;
import io.pgmux.server.admin.ServerControl;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.server.logging.LogSafe;
import io.pgmux.server.login.ClientAuthPolicy;
import io.pgmux.server.session.ProxyContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP query endpoint of one connection. A request is authenticated with the user and password of its
 * connection string, checked by the same rules as a login (auth_type or the hba file, the configured users, the
 * auth file or auth_query; an unknown user gets the same 28P01 as a wrong password), then runs in a
 * {@link BackendExchange}. Requests of a connection are answered one at a time, in order (the connection is not read
 * while one runs), and the connection is kept alive between them.
 *
 * <p>The password arrives in clear text, so unless {@code auth_cleartext_without_tls} allows it, a request that is
 * not on TLS and needs a password is refused. Logs name the user and the outcome, never the password or the SQL.
 */
final class SqlOverHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(SqlOverHttpHandler.class);

    private final ProxyContext context;
    private final WebTransportSettings settings;

    SqlOverHttpHandler(ProxyContext context, WebTransportSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = request.uri().split("\\?", 2)[0];
        if (!path.equals("/sql") && !path.endsWith("/sql")) {
            respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "{\"message\":\"POST /sql\"}");
            return;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "{\"message\":\"POST /sql\"}");
            return;
        }
        ctx.channel().config().setAutoRead(false); // one request at a time, answered in order
        try {
            SqlRequest sql = SqlRequest.read(request.content().toString(StandardCharsets.UTF_8), request.headers());
            ConnectionUrl url = ConnectionUrl.parse(request.headers().get("Neon-Connection-String"));
            authenticate(ctx, url).whenComplete((pool, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    answerFailure(ctx, keepAlive, failure);
                } else {
                    run(ctx, keepAlive, pool, sql);
                }
            }));
        } catch (RuntimeException e) {
            answerFailure(ctx, keepAlive, e);
        }
    }

    private void run(ChannelHandlerContext ctx, boolean keepAlive, Pool pool, SqlRequest sql) {
        BackendExchange.run(pool, ctx.channel().eventLoop(), sql, context.cancels(), settings.httpMaxResponseSize(),
                settings.httpRequestTimeout()).addListener(done -> {
                    if (!done.isSuccess()) {
                        answerFailure(ctx, keepAlive, done.cause());
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    List<StatementResult> results = (List<StatementResult>) done.getNow();
                    respond(ctx, keepAlive, HttpResponseStatus.OK, json(sql, results));
                });
    }

    private static String json(SqlRequest sql, List<StatementResult> results) {
        StringBuilder out = new StringBuilder(256);
        if (!sql.batch()) {
            results.get(0).appendJson(out, sql.arrayMode());
            return out.toString();
        }
        out.append("{\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            results.get(i).appendJson(out, sql.arrayMode());
        }
        return out.append("]}").toString();
    }

    /** Completes with the pool of (database, user) once the password is checked; exceptionally with a failure. */
    private CompletableFuture<Pool> authenticate(ChannelHandlerContext ctx, ConnectionUrl url) {
        String user = url.user();
        String database = url.database();
        if (ServerControl.isConsole(database) || context.config().database(database) == null) {
            context.authFailures().record(AuthFailures.Reason.UNKNOWN_DATABASE);
            throw HttpFailure.of(SqlState.INVALID_CATALOG_NAME, "database \"" + database + "\" does not exist");
        }
        context.control().checkAdmission(database);
        AuthType method = ClientAuthPolicy.methodFor(context, ctx, user, database);
        if (method == AuthType.TRUST) {
            return CompletableFuture.completedFuture(context.pools().pool(database, user));
        }
        if (ctx.pipeline().get(SslHandler.class) == null && !context.config().auth().cleartextWithoutTls()) {
            context.authFailures().record(AuthFailures.Reason.TLS_REQUIRED);
            throw HttpFailure.of(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "the HTTP endpoint receives passwords in clear text: use TLS (https), or set "
                            + "auth_cleartext_without_tls");
        }
        return context.credentials().lookup(database, user).thenApply(secret -> {
            if (secret == null || url.password() == null || !CleartextPassword.verify(user, secret, url.password())) {
                context.authFailures().record(secret == null
                        ? AuthFailures.Reason.UNKNOWN_USER : AuthFailures.Reason.WRONG_PASSWORD);
                log.info("{}: HTTP request refused for user \"{}\": password authentication failed", ctx.channel(),
                        LogSafe.escape(user));
                throw HttpFailure.of(SqlState.INVALID_PASSWORD,
                        "password authentication failed for user \"" + user + "\"");
            }
            if (secret.startsWith("md5")) {
                // The hash is all pgmux knows, and all md5 needs to log in to PostgreSQL as this user too.
                context.pools().passthroughLogins().putMd5Secret(user, secret);
            }
            return context.pools().pool(database, user);
        });
    }

    private static void answerFailure(ChannelHandlerContext ctx, boolean keepAlive, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpFailure http) {
            respond(ctx, keepAlive, http.status(), http.json());
        } else if (cause instanceof PgException pg) {
            HttpFailure http = HttpFailure.of(pg.sqlState(), pg.getMessage());
            respond(ctx, keepAlive, http.status(), http.json());
        } else {
            log.warn("{}: HTTP request failed", ctx.channel(), cause);
            respond(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, "{\"message\":\"internal error\"}");
        }
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                String json) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                : ChannelFutureListener.CLOSE);
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close(); // a kept-alive connection nobody used for a while
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("{}: HTTP connection closed: {}", ctx.channel(), LogSafe.escape(String.valueOf(cause.getMessage())));
        ctx.close();
    }
}
