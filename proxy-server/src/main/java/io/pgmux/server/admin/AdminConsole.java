// The admin console session: answers SHOW and control commands over the simple query protocol.
package io.pgmux.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.protocol.auth.ThreadRandom;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Query;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.server.clients.ClientErrors;
import io.pgmux.server.logging.LogSafe;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the authentication handler of a client that logged in to the virtual database {@code pgbouncer} (or
 * {@code pgmux}). Speaks the simple query protocol only, like PgBouncer's console: extended-protocol messages get
 * 0A000 and are skipped up to their Sync, so pgjdbc needs {@code preferQueryMode=simple}. A command that fails
 * gets an ErrorResponse with its SQLSTATE and the session goes on; failures go out through {@link ClientErrors}
 * like those of any client (a FATAL one closes, a reset is an ordinary disconnect). One command runs at a time
 * (the client is not read while PAUSE or WAIT_CLOSE waits).
 *
 * <p>Threading: confined to the client's event loop.
 */
public final class AdminConsole extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AdminConsole.class);
    /** Reported as server_version: drivers parse it, and the console's SQL subset is no newer than this. */
    private static final String SERVER_VERSION = "16.0";

    private final ConsoleCommands commands;
    private final String user;
    private final int processId;
    private boolean skipUntilSync;

    /**
     * @param admin     true for an admin user, false for a stats user
     * @param processId the id the client sees in BackendKeyData (cancel requests to the console do nothing)
     */
    public AdminConsole(ServerControl control, String version, String user, boolean admin, int processId) {
        this.commands = new ConsoleCommands(control, version, admin);
        this.user = user;
        this.processId = processId;
    }

    /**
     * Refuses a user who is neither an admin nor a stats user.
     *
     * @throws PgException 28000, as PgBouncer answers "not allowed"
     */
    public static void checkAllowed(ServerControl control, String user) {
        if (!control.config().admin().maySee(user)) {
            throw ClientErrors.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "user \"" + user + "\" is not allowed on the admin console (admin_users, stats_users)");
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.write(BackendMessages.authenticationOk());
        Map.of("server_version", SERVER_VERSION, "server_encoding", "UTF8", "client_encoding", "UTF8",
                "DateStyle", "ISO", "integer_datetimes", "on", "standard_conforming_strings", "on",
                "application_name", "").forEach((name, value) ->
                ctx.write(BackendMessages.parameterStatus(ctx.alloc(), name, value)));
        ctx.write(BackendMessages.backendKeyData(ctx.alloc(), processId, ThreadRandom.get().nextInt()));
        ctx.writeAndFlush(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        log.info("console client {} logged in as {}", ctx.channel().remoteAddress(), LogSafe.escape(user));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            byte type = Frames.type(frame);
            if (type == FrontendType.TERMINATE) {
                ctx.close();
            } else if (type == FrontendType.QUERY) {
                query(ctx, Query.sql(frame));
            } else if (type == FrontendType.SYNC) {
                skipUntilSync = false;
                ctx.writeAndFlush(BackendMessages.readyForQuery(TransactionStatus.IDLE));
            } else if (!skipUntilSync) {
                skipUntilSync = true;
                ClientErrors.send(ctx, ClientErrors.error(SqlState.FEATURE_NOT_SUPPORTED,
                        "the admin console supports only the simple query protocol (pgjdbc: preferQueryMode=simple)"));
            }
        } catch (PgException e) {
            ClientErrors.send(ctx, e);
        } finally {
            frame.release();
        }
    }

    private void query(ChannelHandlerContext ctx, String sql) {
        if (sql.isBlank()) {
            ctx.write(BackendMessages.emptyQueryResponse());
            ctx.writeAndFlush(BackendMessages.readyForQuery(TransactionStatus.IDLE));
            return;
        }
        Promise<Void> done = ctx.executor().newPromise();
        done.addListener((Future<Void> f) -> finished(ctx, f, sql));
        ctx.channel().config().setAutoRead(false);
        try {
            commands.run(ctx, ConsoleCommand.parse(sql), done);
        } catch (RuntimeException e) {
            done.tryFailure(e);
        }
    }

    private void finished(ChannelHandlerContext ctx, Future<Void> f, String sql) {
        if (!f.isSuccess()) {
            PgException error = ClientErrors.reportable(ctx, f.cause(), Severity.ERROR,
                    "in console command \"" + LogSafe.escape(sql) + "\"");
            if (!ClientErrors.send(ctx, error)) {
                return;
            }
        }
        ctx.writeAndFlush(BackendMessages.readyForQuery(TransactionStatus.IDLE));
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientErrors.failAndClose(ctx, cause, "on the admin console");
    }
}
