// Runs one admin console command: permission check, then the SHOW table or the control action.
package io.pgmux.server.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.pgmux.config.ConfigException;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands of PgBouncer's console. Stats users may SHOW (and SET, which changes nothing); everything else needs
 * an admin user (42501 otherwise). Unknown commands and SHOW subjects are 42601. PAUSE and WAIT_CLOSE complete
 * when the pools got their backends back, polled on the console's loop every {@value #POLL_MILLIS} ms, so the loop
 * is never blocked.
 */
final class ConsoleCommands {
    private static final Logger log = LoggerFactory.getLogger(ConsoleCommands.class);
    private static final long POLL_MILLIS = 20;
    static final List<String> HELP = List.of(
            "SHOW HELP|CONFIG|DATABASES|POOLS|CLIENTS|SERVERS|USERS|VERSION|STATE|HOSTS|TENANTS",
            "SHOW STATS|STATS_TOTALS|STATS_AVERAGES|LISTS|TOTALS|MEM|FDS|SOCKETS",
            "SET key = arg (accepted and ignored: change the configuration file and RELOAD)",
            "RELOAD", "PAUSE [<db>]", "RESUME [<db>]", "DISABLE <db>", "ENABLE <db>", "RECONNECT [<db>]",
            "KILL <db>", "KILL_CLIENT <id>", "SUSPEND", "SHUTDOWN [WAIT_FOR_SERVERS|WAIT_FOR_CLIENTS]",
            "WAIT_CLOSE [<db>]");

    private final ServerControl control;
    private final ShowActivity activity;
    private final ShowSettings settings;
    private final ShowHosts hosts;
    private final ShowTenants tenants;
    private final ShowInternals internals;
    private final boolean admin;

    ConsoleCommands(ServerControl control, String version, boolean admin) {
        this.control = control;
        this.activity = new ShowActivity(control);
        this.settings = new ShowSettings(control, version);
        this.hosts = new ShowHosts(control);
        this.tenants = new ShowTenants(control);
        this.internals = new ShowInternals(control, activity);
        this.admin = admin;
    }

    /**
     * Runs {@code command} and writes its result (not flushed, no ReadyForQuery); the promise completes when the
     * command is done, failed with a {@link PgException} for the client.
     */
    void run(ChannelHandlerContext ctx, ConsoleCommand command, Promise<Void> done) {
        if (command.verb().equals("SHOW")) {
            show(ctx, command.argument());
            done.setSuccess(null);
            return;
        }
        if (command.verb().equals("SET")) {
            ctx.write(BackendMessages.commandComplete(ctx.alloc(), "SET"));
            done.setSuccess(null);
            return;
        }
        if (!admin) {
            throw new PgException(Severity.ERROR, SqlState.INSUFFICIENT_PRIVILEGE,
                    "admin access needed for " + command.verb() + "; stats users may only SHOW");
        }
        control(ctx, command, done);
    }

    private void show(ChannelHandlerContext ctx, String subject) {
        if (subject == null) {
            throw ConsoleCommand.syntax("SHOW needs a subject; try SHOW HELP");
        }
        ResultTable table = switch (subject) {
            case "POOLS" -> activity.pools();
            case "STATS" -> activity.stats();
            case "STATS_TOTALS" -> activity.statsSubset(false);
            case "STATS_AVERAGES" -> activity.statsSubset(true);
            case "CLIENTS" -> activity.clients();
            case "SERVERS" -> activity.servers();
            case "DATABASES" -> settings.databases();
            case "USERS" -> settings.users();
            case "CONFIG" -> settings.config();
            case "LISTS" -> settings.lists();
            case "VERSION" -> settings.version();
            case "STATE" -> settings.state();
            case "HOSTS" -> hosts.hosts();
            case "TENANTS" -> tenants.tenants();
            case "TOTALS" -> internals.totals();
            case "MEM" -> internals.mem();
            case "FDS" -> internals.fds();
            case "SOCKETS" -> internals.sockets();
            case "HELP" -> null;
            default -> throw ConsoleCommand.syntax("unknown SHOW subject \"" + subject + "\"; try SHOW HELP");
        };
        if (table == null) {
            ctx.write(BackendMessages.noticeResponse(ctx.alloc(), Severity.NOTICE, SqlState.SUCCESSFUL_COMPLETION,
                    "Console usage\n\t" + String.join("\n\t", HELP)));
            ctx.write(BackendMessages.commandComplete(ctx.alloc(), "SHOW"));
        } else {
            table.write(ctx);
        }
    }

    private void control(ChannelHandlerContext ctx, ConsoleCommand command, Promise<Void> done) {
        String db = command.argument();
        switch (command.verb()) {
            case "PAUSE" -> {
                control.requireDatabase(db);
                control.pause(db);
                when(ctx.executor(), () -> control.busyServers(db), () -> {
                    control.closeIdle(db);
                    complete(ctx, "PAUSE", done);
                });
                return;
            }
            case "WAIT_CLOSE" -> {
                control.requireDatabase(db);
                when(ctx.executor(), () -> control.closePending(db), () -> complete(ctx, "WAIT_CLOSE", done));
                return;
            }
            case "RESUME" -> {
                control.requireDatabase(db);
                control.resume(db);
            }
            case "SUSPEND" -> control.suspend();
            case "RECONNECT" -> {
                control.requireDatabase(db);
                control.reconnect(db);
            }
            case "DISABLE" -> control.disable(requireNamed(command));
            case "ENABLE" -> control.enable(requireNamed(command));
            case "KILL" -> control.kill(requireNamed(command));
            case "KILL_CLIENT" -> ClientKill.kill(control.clients(), command.argument());
            case "RELOAD" -> {
                reload(ctx, done);
                return;
            }
            case "SHUTDOWN" -> control.shutdown(ShutdownMode.parse(command.argument()));
            default -> throw ConsoleCommand.syntax("unknown command \"" + command.verb() + "\"; try SHOW HELP");
        }
        complete(ctx, command.verb(), done);
    }

    /**
     * Reads the configuration on the reload thread, never on this event loop (the files may be slow to read, and
     * every client of the loop would wait), and answers once it is applied or rejected.
     */
    private void reload(ChannelHandlerContext ctx, Promise<Void> done) {
        control.reload().whenComplete((changes, failure) -> ctx.executor().execute(() -> {
            if (failure == null) {
                log.info("RELOAD from the admin console: {}", changes.isEmpty() ? "no pool changed" : changes);
                complete(ctx, "RELOAD", done);
            } else {
                done.setFailure(reloadError(failure instanceof CompletionException c ? c.getCause() : failure));
            }
        }));
    }

    private static PgException reloadError(Throwable cause) {
        if (cause instanceof ConfigException e) {
            return new PgException(Severity.ERROR, SqlState.CONFIG_FILE_ERROR,
                    "configuration not reloaded, the old one stays: " + e.getMessage());
        }
        log.warn("RELOAD failed", cause);
        return new PgException(Severity.ERROR, SqlState.INTERNAL_ERROR, "RELOAD failed: see the pgmux log");
    }

    private String requireNamed(ConsoleCommand command) {
        if (command.argument() == null) {
            throw ConsoleCommand.syntax(command.verb() + " needs a database name");
        }
        control.requireDatabase(command.argument());
        return command.argument();
    }

    private static void complete(ChannelHandlerContext ctx, String tag, Promise<Void> done) {
        ctx.write(BackendMessages.commandComplete(ctx.alloc(), tag));
        done.setSuccess(null);
    }

    /** Runs {@code then} on {@code loop} once {@code remaining} is 0, checking every few milliseconds. */
    private static void when(EventExecutor loop, IntSupplier remaining, Runnable then) {
        if (remaining.getAsInt() == 0) {
            then.run();
        } else {
            loop.schedule(() -> when(loop, remaining, then), POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
