// A result set the admin console sends: column names, their types and text rows.
package io.pgmux.server.admin;

import io.netty.channel.ChannelHandlerContext;
import io.pgmux.protocol.BackendMessages;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text values under named columns, written as RowDescription, DataRows and CommandComplete. Numbers are
 * declared int8 and everything else text, as PgBouncer's console does, so tools that read it by type work.
 */
final class ResultTable {
    private static final int INT8 = 20;
    private static final int TEXT = 25;

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

    ResultTable number(String... columns) {
        for (String c : columns) {
            names.add(c);
            types.add(INT8);
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
