// The result of one statement run for the HTTP endpoint: its columns, rows and command tag, written as JSON.
package io.pgmux.server.transport.http;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.Frames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a statement returned, in text format: the RowDescription's columns, the DataRows and the CommandComplete
 * tag. {@link #appendJson} writes the object node-postgres and the {@code @neondatabase/serverless} driver read:
 * {@code command}, {@code rowCount}, {@code fields} (name, tableID, columnID, dataTypeID, dataTypeSize,
 * dataTypeModifier, format) and {@code rows}, as arrays ({@code Neon-Array-Mode: true}) or objects.
 */
final class StatementResult {
    private record Field(String name, int tableId, int columnId, int typeId, int typeSize, int typeModifier) {
    }

    private final List<Field> fields = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private String tag;

    /** Reads a whole RowDescription frame. */
    void describe(ByteBuf frame) {
        int at = Frames.bodyStart(frame);
        int count = frame.getUnsignedShort(at);
        at += 2;
        for (int i = 0; i < count; i++) {
            int end = frame.indexOf(at, frame.writerIndex(), (byte) 0);
            String name = frame.toString(at, end - at, StandardCharsets.UTF_8);
            at = end + 1;
            fields.add(new Field(name, frame.getInt(at), frame.getUnsignedShort(at + 4), frame.getInt(at + 6),
                    frame.getShort(at + 10), frame.getInt(at + 12)));
            at += 18;
        }
    }

    /** Reads a whole DataRow frame. */
    void row(ByteBuf frame) {
        int at = Frames.bodyStart(frame);
        int count = frame.getUnsignedShort(at);
        at += 2;
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            int length = frame.getInt(at);
            at += 4;
            if (length >= 0) {
                values[i] = frame.toString(at, length, StandardCharsets.UTF_8);
                at += length;
            }
        }
        rows.add(values);
    }

    void complete(String commandTag) {
        this.tag = commandTag;
    }

    void appendJson(StringBuilder out, boolean arrayMode) {
        String command = tag == null ? "" : tag.split(" ", 2)[0];
        out.append("{\"command\":");
        Json.writeString(out, command);
        out.append(",\"rowCount\":").append(rowCount());
        out.append(",\"rowAsArray\":").append(arrayMode);
        out.append(",\"fields\":[");
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            out.append(i == 0 ? "{" : ",{").append("\"name\":");
            Json.writeString(out, f.name());
            out.append(",\"tableID\":").append(f.tableId()).append(",\"columnID\":").append(f.columnId())
                    .append(",\"dataTypeID\":").append(f.typeId()).append(",\"dataTypeSize\":").append(f.typeSize())
                    .append(",\"dataTypeModifier\":").append(f.typeModifier()).append(",\"format\":\"text\"}");
        }
        out.append("],\"rows\":[");
        for (int r = 0; r < rows.size(); r++) {
            out.append(r == 0 ? "" : ",").append(arrayMode ? '[' : '{');
            String[] values = rows.get(r);
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (!arrayMode) {
                    Json.writeString(out, i < fields.size() ? fields.get(i).name() : "?column?");
                    out.append(':');
                }
                if (values[i] == null) {
                    out.append("null");
                } else {
                    Json.writeString(out, values[i]);
                }
            }
            out.append(arrayMode ? ']' : '}');
        }
        out.append("]}");
    }

    /** The count at the end of the tag (SELECT 3, INSERT 0 3, UPDATE 3), or null for a command without one. */
    private String rowCount() {
        if (tag == null) {
            return "null";
        }
        int space = tag.lastIndexOf(' ');
        if (space < 0) {
            return "null";
        }
        String count = tag.substring(space + 1);
        return count.chars().allMatch(Character::isDigit) && !count.isEmpty() ? count : "null";
    }
}
