// Reads the SQL text out of a simple Query ('Q') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/** A simple-protocol Query: one \0-terminated SQL string, possibly several statements. */
public final class Query {
    private Query() {
    }

    /** The SQL of a whole 'Q' frame, without moving its indexes; malformed -> ProtocolException. */
    public static String sql(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.QUERY, "Query");
        String sql = reader.readCString();
        reader.expectEnd();
        return sql;
    }
}
