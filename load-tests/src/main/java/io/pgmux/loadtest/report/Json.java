// Serializes plain maps, lists, strings and numbers as indented JSON (enough for the report, no library needed).
package io.pgmux.loadtest.report;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** Maps become objects in iteration order, collections arrays; NaN and infinities become null. */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map) {
            writeObject(out, (Map<?, ?>) value, depth);
        } else if (value instanceof Collection) {
            writeArray(out, (Collection<?>) value, depth);
        } else if (value instanceof Double || value instanceof Float) {
            writeDouble(out, ((Number) value).doubleValue());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            writeString(out, value.toString());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, int depth) {
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> e = entries.next();
            indent(out, depth + 1);
            writeString(out, String.valueOf(e.getKey()));
            out.append(": ");
            write(out, e.getValue(), depth + 1);
            out.append(entries.hasNext() ? "," : "");
        }
        if (!map.isEmpty()) {
            indent(out, depth);
        }
        out.append('}');
    }

    private static void writeArray(StringBuilder out, Collection<?> items, int depth) {
        out.append('[');
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            indent(out, depth + 1);
            write(out, it.next(), depth + 1);
            out.append(it.hasNext() ? "," : "");
        }
        if (!items.isEmpty()) {
            indent(out, depth);
        }
        out.append(']');
    }

    private static void writeDouble(StringBuilder out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(String.format(Locale.ROOT, "%.3f", d));
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.append('\n').append("  ".repeat(depth));
    }

    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
