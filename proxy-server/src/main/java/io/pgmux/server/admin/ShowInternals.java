// SHOW MEM, FDS, SOCKETS and TOTALS, in PgBouncer 1.25's columns.
package io.pgmux.server.admin;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;

/**
 * The console's views of pgmux's insides. PgBouncer reports its slab caches and the sockets it could hand to a new
 * process on online restart; pgmux reports the JVM's memory areas, and no sockets to hand over (it has no online
 * restart), under the same columns, so that scripts that run these commands keep working.
 */
final class ShowInternals {
    private final ServerControl control;
    private final ShowActivity activity;

    ShowInternals(ServerControl control, ShowActivity activity) {
        this.control = control;
        this.activity = activity;
    }

    /**
     * SHOW MEM: one row per JVM memory area; {@code size} is 1 (a byte), {@code used} and {@code free} are bytes in
     * use and committed but unused, {@code memtotal} the bytes committed. int8, since a heap outgrows int4.
     */
    ResultTable mem() {
        ResultTable t = new ResultTable().text("name").bigNumber("size", "used", "free", "memtotal");
        memRow(t, "heap", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
        memRow(t, "non_heap", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            long used = pool.getMemoryUsed();
            long total = Math.max(used, pool.getTotalCapacity());
            t.row(pool.getName() + "_buffers", 1, used, total - used, total);
        }
        return t;
    }

    private static void memRow(ResultTable t, String name, MemoryUsage usage) {
        t.row(name, 1, usage.getUsed(), Math.max(0, usage.getCommitted() - usage.getUsed()), usage.getCommitted());
    }

    /** SHOW FDS: PgBouncer's columns, no rows: pgmux hands no sockets to another process. */
    ResultTable fds() {
        return new ResultTable().number("fd").text("task", "user", "database", "addr").number("port")
                .bigNumber("cancel").number("link")
                .text("client_encoding", "std_strings", "datestyle", "timezone", "password", "scram_client_key",
                        "scram_server_key");
    }

    /** SHOW SOCKETS: SHOW CLIENTS and SHOW SERVERS together, with PgBouncer's buffer columns (always 0 here). */
    ResultTable sockets() {
        ResultTable t = ShowActivity.connectionColumns().number("recv_pos", "pkt_pos", "pkt_remain", "send_pos",
                "send_remain", "pkt_avail", "send_avail");
        Object[] buffers = {0, 0, 0, 0, 0, 0, 0};
        t.appendRows(activity.clients(), buffers);
        t.appendRows(activity.servers(), buffers);
        return t;
    }

    /** SHOW TOTALS: the SHOW STATS figures of all databases together, one per row, under PgBouncer's names. */
    ResultTable totals() {
        DatabaseTotals all = new DatabaseTotals();
        for (Map.Entry<String, DatabaseTotals> e : DatabaseTotals.collect(control).entrySet()) {
            all = all.plus(e.getValue());
        }
        Object[] totals = all.totals();
        Object[] averages = control.statsPeriod().averagesOfAll(all, System.currentTimeMillis());
        // DatabaseTotals' order: xact, query, assignment, received, sent, xact time, query time, wait time,
        // client parses, server parses, binds.
        String[] names = {"xact_count", "query_count", "server_assignment_count", "client_bytes", "server_bytes",
            "xact_time", "query_time", "wait_time", "ps_client_parse_count", "ps_server_parse_count",
            "ps_bind_count"};
        int[] pgbouncerOrder = {2, 0, 1, 3, 4, 5, 6, 7, 8, 9, 10};
        ResultTable t = new ResultTable().text("name").numeric("value");
        for (int i : pgbouncerOrder) {
            t.row("total_" + names[i], totals[i]);
        }
        for (int i : pgbouncerOrder) {
            t.row("avg_" + names[i], averages[i]);
        }
        return t;
    }
}
