// A result set the admin console sends: column names, their types and text rows.
package io.pgmux.server.admin;

import io.netty.channel.ChannelHandlerContext;
import io.pgmux.protocol.BackendMessages;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text values under named columns, written as RowDescription, DataRows and CommandComplete. Columns are
 * declared with PgBouncer 1.25's types (int4 for counts of connections and the like, numeric for the SHOW STATS
 * figures, text for the rest), so tools that read the console by type work; pgmux-only counters that may outgrow
 * int4 are int8.
 */
final class ResultTable {
    private static final int INT8 = 20;
    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int NUMERIC = 1700;

    private final List<String> names = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    ResultTable text(String... columns) {
        for (String c : columns) {
            names.add(c);
            types.add(TEXT);
        }
        return this;
    }

    /** int4 columns, as PgBouncer declares its counts, ports and times in seconds. */
    ResultTable number(String... columns) {
        return add(INT4, columns);
    }

    /** int8 columns, for pgmux's own counters. */
    ResultTable bigNumber(String... columns) {
        return add(INT8, columns);
    }

    /** numeric columns, as PgBouncer declares the SHOW STATS figures. */
    ResultTable numeric(String... columns) {
        return add(NUMERIC, columns);
    }

    private ResultTable add(int type, String... columns) {
        for (String c : columns) {
            names.add(c);
            types.add(type);
        }
        return this;
    }

    /** One row; values are converted with {@link String#valueOf}, null stays SQL NULL. */
    void row(Object... values) {
        if (values.length != names.size()) {
            throw new IllegalArgumentException(values.length + " values for " + names.size() + " columns");
        }
        List<String> row = new ArrayList<>(values.length);
        for (Object v : values) {
            row.add(v == null ? null : String.valueOf(v));
        }
        rows.add(row);
    }

    /** Appends the rows of {@code from}, each followed by {@code extra} (for tables that add columns to another). */
    void appendRows(ResultTable from, Object... extra) {
        for (List<String> row : from.rows) {
            Object[] values = new Object[row.size() + extra.length];
            row.toArray(values);
            System.arraycopy(extra, 0, values, row.size(), extra.length);
            row(values);
        }
    }

    List<String> columns() {
        return List.copyOf(names);
    }

    int size() {
        return rows.size();
    }

    /** Writes the result (not flushed) with the CommandComplete tag {@code SHOW}. */
    void write(ChannelHandlerContext ctx) {
        ctx.write(BackendMessages.rowDescription(ctx.alloc(), names, types));
        for (List<String> row : rows) {
            ctx.write(BackendMessages.dataRow(ctx.alloc(), row));
        }
        ctx.write(BackendMessages.commandComplete(ctx.alloc(), "SHOW"));
    }
}
