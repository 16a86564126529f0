package io.pgmux.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A bare-socket PostgreSQL client for tests that must send what no driver would. */
final class RawClient implements AutoCloseable {
    /** The socket, or null when the client speaks through another carrier (a WebSocket). */
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    private final AutoCloseable carrier;

    RawClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Over a socket the test connected itself (for example a TLS socket). */
    RawClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
        carrier = socket;
    }

    /** Over the streams of another carrier, closed with the client. */
    RawClient(java.io.InputStream input, java.io.OutputStream output, AutoCloseable carrier) {
        this.socket = null;
        this.in = new DataInputStream(input);
        this.out = new DataOutputStream(output);
        this.carrier = carrier;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendStartup(String user, String database) throws IOException {
        sendStartup(user, database, Map.of());
    }

    /** A StartupMessage with run-time parameters besides user and database. */
    void sendStartup(String user, String database, Map<String, String> parameters) throws IOException {
        StringBuilder text = new StringBuilder("user\0" + user + "\0database\0" + database + "\0");
        parameters.forEach((name, value) -> text.append(name).append('\0').append(value).append('\0'));
        byte[] body = text.append('\0').toString().getBytes(StandardCharsets.UTF_8);
        out.writeInt(8 + body.length);
        out.writeInt(196608);
        out.write(body);
        out.flush();
    }

    /** One write for the whole message, so a server that rejects it at its header cannot break the write. */
    void sendTyped(char type, byte[] body) throws IOException {
        byte[] message = java.nio.ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length)
                .put(body).array();
        out.write(message);
        out.flush();
    }

    void sendQuery(String sql) throws IOException {
        sendTyped('Q', (sql + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Logs in with trust, cleartext or md5 authentication and reads up to the first ReadyForQuery.
     *
     * @throws AssertionError when the server answers with an error or asks for another method
     */
    void login(String user, String password, String database) throws IOException {
        login(user, password, database, Map.of());
    }

    /** {@link #login(String, String, String)} with run-time parameters in the StartupMessage. */
    void login(String user, String password, String database, Map<String, String> parameters) throws IOException {
        sendStartup(user, database, parameters);
        Message m;
        while ((m = read()) != null && m.type != 'Z') {
            if (m.type == 'E') {
                throw new AssertionError("login failed: " + m.fields());
            }
            if (m.type != 'R') {
                continue;
            }
            int code = java.nio.ByteBuffer.wrap(m.body).getInt();
            if (code == 3) {
                sendTyped('p', (password + "\0").getBytes(StandardCharsets.UTF_8));
            } else if (code == 5) {
                byte[] salt = java.util.Arrays.copyOfRange(m.body, 4, 8);
                String response = io.pgmux.protocol.auth.Md5Password.clientResponse(user, password, salt);
                sendTyped('p', (response + "\0").getBytes(StandardCharsets.UTF_8));
            } else if (code != 0) {
                throw new AssertionError("unexpected authentication request " + code);
            }
        }
        if (m == null) {
            throw new EOFException("connection closed during login");
        }
    }

    /** One typed message: type and body, or null at end of stream. */
    Message read() throws IOException {
        int type;
        try {
            type = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no message within the socket timeout", e);
        }
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    /** Runs a simple query and returns the first column of its first row, as text. */
    String queryValue(String sql) throws IOException {
        sendQuery(sql);
        Message row = readUntil('D');
        java.nio.ByteBuffer body = java.nio.ByteBuffer.wrap(row.body);
        body.getShort();
        int length = body.getInt();
        String value = length < 0 ? null : new String(row.body, body.position(), length, StandardCharsets.UTF_8);
        readUntil('Z');
        return value;
    }

    /** The CommandComplete tags up to the next ReadyForQuery; fails on an ErrorResponse. */
    List<String> commandTags() throws IOException {
        List<String> tags = new ArrayList<>();
        Message m;
        while ((m = read()).type() != 'Z') {
            if (m.type() == 'E') {
                throw new AssertionError("error: " + m.fields());
            }
            if (m.type() == 'C') {
                tags.add(new String(m.body(), 0, m.body().length - 1, StandardCharsets.US_ASCII));
            }
        }
        return tags;
    }

    /** Reads until a message of {@code type} arrives. */
    Message readUntil(char type) throws IOException {
        Message m;
        while ((m = read()) != null) {
            if (m.type == type) {
                return m;
            }
        }
        throw new EOFException("connection closed before message '" + type + "'");
    }

    /** True when the server closed the connection (end of stream or reset) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            carrier.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    record Message(char type, byte[] body) {
        /** ErrorResponse/NoticeResponse fields by code. */
        Map<Character, String> fields() {
            Map<Character, String> fields = new HashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int start = i;
                while (body[i] != 0) {
                    i++;
                }
                fields.put(code, new String(body, start, i - start, StandardCharsets.UTF_8));
                i++;
            }
            return fields;
        }
    }
}
