package io.pgmux.server;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Extended-protocol client messages as bytes, for tests that write exactly what they mean to the socket. */
public final class WireMessages {
    private WireMessages() {
    }

    public static byte[] parse(String name, String sql, int... types) {
        return message('P', out -> {
            cString(out, name);
            cString(out, sql);
            out.writeShort(types.length);
            for (int type : types) {
                out.writeInt(type);
            }
        });
    }

    /** Bind with text-format parameters (null = SQL NULL) and text results. */
    public static byte[] bind(String portal, String statement, String... parameters) {
        return message('B', out -> {
            cString(out, portal);
            cString(out, statement);
            out.writeShort(0);
            out.writeShort(parameters.length);
            for (String p : parameters) {
                if (p == null) {
                    out.writeInt(-1);
                } else {
                    byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
            out.writeShort(0);
        });
    }

    public static byte[] execute(String portal, int maxRows) {
        return message('E', out -> {
            cString(out, portal);
            out.writeInt(maxRows);
        });
    }

    static byte[] describe(char kind, String name) {
        return message('D', out -> {
            out.writeByte(kind);
            cString(out, name);
        });
    }

    public static byte[] close(char kind, String name) {
        return message('C', out -> {
            out.writeByte(kind);
            cString(out, name);
        });
    }

    public static byte[] query(String sql) {
        return message('Q', out -> cString(out, sql));
    }

    static byte[] sync() {
        return message('S', out -> { });
    }

    static byte[] flush() {
        return message('H', out -> { });
    }

    static byte[] concat(byte[]... messages) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            all.writeBytes(m);
        }
        return all.toByteArray();
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] message(char type, Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            body.write(new DataOutputStream(bytes));
            ByteArrayOutputStream framed = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(framed);
            out.writeByte(type);
            out.writeInt(4 + bytes.size());
            out.write(bytes.toByteArray());
            return framed.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cString(DataOutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }
}
