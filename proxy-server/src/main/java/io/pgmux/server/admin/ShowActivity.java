// SHOW POOLS, SHOW STATS (and its TOTALS and AVERAGES), SHOW CLIENTS and SHOW SERVERS, in PgBouncer's columns.
package io.pgmux.server.admin;

import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolAdmin;
import io.pgmux.pool.PoolStats;
import io.pgmux.server.metrics.ClientActivity;
import io.pgmux.server.metrics.ClientEntry;
import io.pgmux.server.metrics.PoolMeters;
import io.pgmux.server.notify.NotifyHubs;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The activity tables. Column names and meanings are PgBouncer's, so its exporters and dashboards read them
 * unchanged; pgmux-only columns come last. Figures pgmux does not track (cancel requests in flight, bind counts)
 * are reported as 0 rather than left out, so the columns line up.
 */
final class ShowActivity {
    /** SHOW SERVERS' application_name of a pool's listening connection (pool.listen: fan-out). */
    static final String LISTENING = "pgmux listen";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final ServerControl control;

    ShowActivity(ServerControl control) {
        this.control = control;
    }

    ResultTable pools() {
        ResultTable t = new ResultTable().text("database", "user")
                .number("cl_active", "cl_waiting", "cl_active_cancel_req", "cl_waiting_cancel_req", "sv_active",
                        "sv_active_cancel", "sv_being_canceled", "sv_idle", "sv_used", "sv_tested", "sv_login",
                        "maxwait", "maxwait_us")
                .text("pool_mode", "load_balance_hosts")
                .number("paused").bigNumber("exhaustion_events", "wait_timeouts");
        for (Pool pool : control.pools().pools()) {
            PoolStats s = pool.stats();
            PoolMeters m = control.clients().meters(pool.key().database(), pool.key().user());
            long maxWaitMicros = pool.admin().maxWaitNanos() / 1000;
            t.row(pool.key().database(), pool.key().user(), Math.max(0, m.clients() - s.waiting()), s.waiting(), 0, 0,
                    s.active(), 0, 0, s.idle(), s.used(), 0, s.login(), maxWaitMicros / 1_000_000,
                    maxWaitMicros % 1_000_000, control.config().poolMode(pool.key().database(), pool.key().user())
                            .configName(), null, pool.admin().isPaused() ? 1 : 0,
                    pool.counters().exhaustionEvents(), pool.counters().waitTimeouts());
        }
        return t;
    }

    /**
     * SHOW STATS: totals since start and averages per second (or per event) over the last stats_period, in PgBouncer
     * 1.25.2's column order (server_assignment_count first in each half), so that tools reading by position work too.
     */
    ResultTable stats() {
        ResultTable t = new ResultTable().text("database");
        t.numeric("total_server_assignment_count", "total_xact_count", "total_query_count", "total_received",
                "total_sent", "total_xact_time", "total_query_time", "total_wait_time", "total_client_parse_count",
                "total_server_parse_count", "total_bind_count", "avg_server_assignment_count", "avg_xact_count",
                "avg_query_count", "avg_recv", "avg_sent", "avg_xact_time", "avg_query_time", "avg_wait_time",
                "avg_client_parse_count", "avg_server_parse_count", "avg_bind_count");
        for (Map.Entry<String, DatabaseTotals> e : totals().entrySet()) {
            DatabaseTotals d = e.getValue();
            Object[] row = new Object[23];
            row[0] = e.getKey();
            inPgBouncerOrder(d.totals(), row, 1);
            inPgBouncerOrder(averages(e.getKey(), d), row, 12);
            t.row(row);
        }
        return t;
    }

    /**
     * SHOW STATS_TOTALS ({@code averages} false) or SHOW STATS_AVERAGES: the same figures without prefixes, except
     * that PgBouncer 1.25.2 names the last three of STATS_AVERAGES {@code avg_client_parse_count},
     * {@code avg_server_parse_count} and {@code avg_bind_count}.
     */
    ResultTable statsSubset(boolean averages) {
        String prefix = averages ? "avg_" : "";
        ResultTable t = new ResultTable().text("database").numeric("server_assignment_count", "xact_count",
                "query_count", "bytes_received", "bytes_sent", "xact_time", "query_time", "wait_time",
                prefix + "client_parse_count", prefix + "server_parse_count", prefix + "bind_count");
        for (Map.Entry<String, DatabaseTotals> e : totals().entrySet()) {
            Object[] row = new Object[12];
            row[0] = e.getKey();
            inPgBouncerOrder(averages ? averages(e.getKey(), e.getValue()) : e.getValue().totals(), row, 1);
            t.row(row);
        }
        return t;
    }

    /**
     * Copies the 11 figures of {@link DatabaseTotals} (transactions, queries, server assignments, then the rest)
     * into {@code row} at {@code at} in PgBouncer's order: server assignments, transactions, queries, the rest.
     */
    private static void inPgBouncerOrder(Object[] figures, Object[] row, int at) {
        row[at] = figures[2];
        row[at + 1] = figures[0];
        row[at + 2] = figures[1];
        System.arraycopy(figures, 3, row, at + 3, 8);
    }

    ResultTable clients() {
        ResultTable t = connectionColumns();
        for (ClientEntry c : control.clients().loggedInClients()) {
            String time = TIME.format(Instant.ofEpochMilli(c.connectedAt()));
            ClientActivity activity = c.channel().pipeline().get("session") instanceof ClientActivity a ? a : null;
            String state = activity == null ? "active" : activity.activityState(); // the console's own clients
            long server = activity == null ? -1 : activity.linkedServerId();
            t.row("C", c.user(), c.database(), "none", state, host(c.remoteAddress()), port(c.remoteAddress()),
                    host(c.localAddress()), port(c.localAddress()), time, time, 0, 0, 0, Long.toHexString(c.id()),
                    server < 0 ? "" : Long.toHexString(server), 0, "", c.applicationName(), 0, c.id());
        }
        return t;
    }

    ResultTable servers() {
        ResultTable t = connectionColumns();
        NotifyHubs listening = control.notifyHubs();
        for (Pool pool : control.pools().pools()) {
            for (PoolAdmin.ServerView v : pool.admin().servers()) {
                SocketAddress remote = v.server().channel().remoteAddress();
                SocketAddress local = v.server().channel().localAddress();
                long connectedAt = System.currentTimeMillis() - v.server().ageNanos() / 1_000_000;
                String time = TIME.format(Instant.ofEpochMilli(connectedAt));
                String state = switch (v.state()) {
                    case LOGIN -> "new";
                    case IDLE -> "idle";
                    case ACTIVE -> "active";
                    case USED -> "used";
                    case CLOSED -> "closed";
                };
                t.row("S", v.server().target().user(), pool.key().database(), "none", state, host(remote), port(remote),
                        host(local), port(local), time, time, 0, 0, v.closeNeeded() ? 1 : 0,
                        Long.toHexString(v.server().id()), "", v.server().backendKey().processId(), "",
                        listening.isListening(v.server()) ? LISTENING : "", 0,
                        v.server().id());
            }
        }
        return t;
    }

    static ResultTable connectionColumns() {
        return new ResultTable().text("type", "user", "database", "replication", "state", "addr").number("port")
                .text("local_addr").number("local_port").text("connect_time", "request_time")
                .number("wait", "wait_us", "close_needed").text("ptr", "link").number("remote_pid")
                .text("tls", "application_name").number("prepared_statements", "id");
    }

    private Map<String, DatabaseTotals> totals() {
        return DatabaseTotals.collect(control);
    }

    /** Averages over the last stats_period, as PgBouncer reports them (since start until a period has ended). */
    private Object[] averages(String database, DatabaseTotals sinceStart) {
        return control.statsPeriod().averages(database, sinceStart, System.currentTimeMillis());
    }

    private static String host(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "unix";
    }

    private static int port(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }
}
