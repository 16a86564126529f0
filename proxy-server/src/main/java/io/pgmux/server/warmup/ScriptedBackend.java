// A stand-in PostgreSQL for the warm-up: answers every statement at once with a fixed reply.
package io.pgmux.server.warmup;

import io.pgmux.protocol.auth.ScramException;
import io.pgmux.protocol.auth.ScramSecret;
import io.pgmux.protocol.auth.ScramServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the warm-up's private pgmux on 127.0.0.1, so that warming up never touches the real PostgreSQL (which
 * may be away, or busy, when a replica starts). SCRAM login; every simple Query is answered with one row of
 * {@code 1} (or with the tag of BEGIN, COMMIT, ROLLBACK, SET, DISCARD, INSERT, UPDATE, DELETE), and the extended protocol's messages with
 * their completions, tracking the transaction status so that pgmux follows transactions as it does with
 * PostgreSQL. One thread per connection: the private pool holds a handful.
 */
final class ScriptedBackend implements AutoCloseable {
    private static final int INT4_OID = 23;

    private final ServerSocket listener;
    private final ScramSecret secret;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ScriptedBackend(ServerSocket listener, ScramSecret secret) {
        this.listener = listener;
        this.secret = secret;
    }

    /**
     * Listens on a free loopback port and serves until {@link #close()}; logins prove they know the password of
     * {@code secret} with SCRAM-SHA-256, as PostgreSQL asks by default, so that pgmux's side of a backend login
     * (PBKDF2 over the secret's iteration count included) is compiled before its first real backend login.
     */
    static ScriptedBackend start(ScramSecret secret) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ScriptedBackend backend = new ScriptedBackend(listener, secret);
        Thread accepting = new Thread(backend::accept, "pgmux-warmup-backend");
        accepting.setDaemon(true);
        accepting.start();
        return backend;
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread serving = new Thread(() -> serve(socket), "pgmux-warmup-backend");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            WireStream wire = new WireStream(socket.getInputStream(), socket.getOutputStream());
            if (!login(wire)) {
                return;
            }
            char status = 'I';
            while (wire.read()) {
                status = answer(wire, status);
                if (wire.type == 'X') {
                    return;
                }
            }
        } catch (IOException e) {
            // pgmux closed the connection: the warm-up is over, or the pool let it go
        } finally {
            connections.remove(socket);
        }
    }

    /** Startup (an SSLRequest is refused with N), then AuthenticationOk, parameters, key data, ReadyForQuery. */
    private boolean login(WireStream wire) throws IOException {
        wire.readStartup();
        if (wire.body.length == 4 && wire.intAt(0) == 80877103) { // SSLRequest: no TLS here
            wire.flushByte('N');
            wire.readStartup();
        }
        if (wire.body.length < 4 || wire.intAt(0) != 196608 || !scram(wire)) {
            return false;
        }
        wire.write('R', new WireStream.Body().int32(0).bytes());
        parameter(wire, "server_version", "15.0");
        parameter(wire, "server_encoding", "UTF8");
        parameter(wire, "client_encoding", "UTF8");
        parameter(wire, "DateStyle", "ISO, MDY");
        parameter(wire, "TimeZone", "UTC");
        parameter(wire, "integer_datetimes", "on");
        parameter(wire, "standard_conforming_strings", "on");
        parameter(wire, "in_hot_standby", "off");
        wire.write('K', new WireStream.Body().int32(1).int32(1).bytes());
        ready(wire, 'I');
        wire.flush();
        return true;
    }

    /** AuthenticationSASL, then the two SCRAM round trips; false when the client does not prove the password. */
    private boolean scram(WireStream wire) throws IOException {
        ScramServer server = new ScramServer(secret);
        wire.write('R', new WireStream.Body().int32(10).string("SCRAM-SHA-256").byte1(0).bytes());
        wire.flush();
        WireStream.expectMore(wire.read());
        int mechanismEnd = wire.stringAt(0).length() + 1;
        byte[] clientFirst = Arrays.copyOfRange(wire.body, mechanismEnd + 4, wire.body.length);
        try {
            wire.write('R', new WireStream.Body().int32(11).raw(server.serverFirstMessage(clientFirst)).bytes());
            wire.flush();
            WireStream.expectMore(wire.read());
            wire.write('R', new WireStream.Body().int32(12).raw(server.serverFinalMessage(wire.body)).bytes());
            return true;
        } catch (ScramException e) {
            return false;
        }
    }

    private static void parameter(WireStream wire, String name, String value) {
        wire.write('S', new WireStream.Body().string(name).string(value).bytes());
    }

    /** Answers one frontend message; returns the transaction status after it. */
    private static char answer(WireStream wire, char status) throws IOException {
        switch (wire.type) {
            case 'Q' -> {
                status = simpleQuery(wire, wire.stringAt(0), status);
                ready(wire, status);
                wire.flush();
            }
            case 'P' -> wire.write('1', new byte[0]);
            case 'B' -> wire.write('2', new byte[0]);
            case 'D' -> {
                if (wire.body[0] == 'S') {
                    wire.write('t', new WireStream.Body().int16(0).bytes());
                }
                rowDescription(wire);
            }
            case 'E' -> {
                wire.write('D', new WireStream.Body().int16(1).int32(1).byte1('1').bytes());
                complete(wire, "SELECT 1");
            }
            case 'C' -> wire.write('3', new byte[0]);
            case 'S' -> {
                ready(wire, status);
                wire.flush();
            }
            case 'H' -> wire.flush();
            default -> {
                // Terminate, or a message the warm-up does not send: nothing to answer
            }
        }
        return status;
    }

    private static char simpleQuery(WireStream wire, String sql, char status) {
        String word = sql.strip().split("[\\s;]", 2)[0].toUpperCase(Locale.ROOT);
        switch (word) {
            case "BEGIN", "START" -> {
                complete(wire, "BEGIN");
                return 'T';
            }
            case "COMMIT", "END" -> {
                complete(wire, "COMMIT");
                return 'I';
            }
            case "ROLLBACK", "ABORT" -> {
                complete(wire, "ROLLBACK");
                return 'I';
            }
            case "SET", "RESET" -> complete(wire, word);
            case "INSERT" -> complete(wire, "INSERT 0 1");
            case "UPDATE", "DELETE" -> complete(wire, word + " 1");
            case "DISCARD" -> complete(wire, "DISCARD ALL");
            default -> {
                rowDescription(wire);
                wire.write('D', new WireStream.Body().int16(1).int32(1).byte1('1').bytes());
                complete(wire, "SELECT 1");
            }
        }
        return status;
    }

    private static void rowDescription(WireStream wire) {
        wire.write('T', new WireStream.Body().int16(1).string("?column?").int32(0).int16(0).int32(INT4_OID)
                .int16(4).int32(-1).int16(0).bytes());
    }

    private static void complete(WireStream wire, String tag) {
        wire.write('C', new WireStream.Body().string(tag).bytes());
    }

    private static void ready(WireStream wire, char status) {
        wire.write('Z', new WireStream.Body().byte1(status).bytes());
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // nothing more to release
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
