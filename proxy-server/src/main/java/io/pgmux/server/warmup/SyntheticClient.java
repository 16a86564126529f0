// One warm-up client: logs in with SCRAM, runs a few short transactions the way drivers send them, leaves.
package io.pgmux.server.warmup;

import io.pgmux.protocol.auth.Md5Password;
import io.pgmux.protocol.auth.ScramClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The work of one short-lived client, as a serverless function does it: connect, log in (SCRAM-SHA-256, md5 or
 * a password), a transaction of simple Queries (BEGIN, an INSERT, a SELECT, COMMIT), a statement in the extended
 * protocol (unnamed, as libpq and pgjdbc send them), a named prepared statement executed twice (as pgjdbc and
 * asyncpg do), Terminate. Each step runs pgmux's own code for that step, which is what gets compiled.
 */
final class SyntheticClient {
    private static final int PROTOCOL_3_0 = 196608;
    private static final int SSL_REQUEST = 80877103;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    /** Statements one client runs: four simple Queries, an unnamed statement, a named one executed twice. */
    static final int STATEMENTS = 7;

    private final int port;
    private final String user;
    private final String database;
    private final String password;

    SyntheticClient(int port, String user, String database, String password) {
        this.port = port;
        this.user = user;
        this.database = database;
        this.password = password;
    }

    /**
     * One whole client, over TLS when {@code tls} is given (an SSLRequest, then a handshake); returns the statements
     * it ran.
     */
    int run(SSLSocketFactory tls) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            Socket carrier = tls == null ? socket : startTls(socket, tls);
            WireStream wire = new WireStream(carrier.getInputStream(), carrier.getOutputStream());
            login(wire);
            query(wire, "BEGIN");
            // A literal, as applications' statements have: pgmux's statement scanner reads past it.
            query(wire, "INSERT INTO warmup (name, n) VALUES ('it''s " + Thread.currentThread().getId() + "', 1)");
            query(wire, "SELECT 1");
            query(wire, "COMMIT");
            unnamed(wire);
            named(wire);
            wire.write('X', new byte[0]);
            wire.flush();
            return STATEMENTS;
        }
    }

    private Socket startTls(Socket socket, SSLSocketFactory tls) throws IOException {
        WireStream plain = new WireStream(socket.getInputStream(), socket.getOutputStream());
        plain.write((char) 0, new WireStream.Body().int32(SSL_REQUEST).bytes());
        plain.flush();
        int answer = socket.getInputStream().read();
        if (answer != 'S') {
            throw new IOException("warm-up TLS refused");
        }
        SSLSocket secured = (SSLSocket) tls.createSocket(socket, "127.0.0.1", port, true);
        secured.startHandshake();
        return secured;
    }

    private void login(WireStream wire) throws IOException {
        wire.write((char) 0, new WireStream.Body().int32(PROTOCOL_3_0).string("user").string(user)
                .string("database").string(database).string("application_name").string("pgmux-warmup")
                .byte1(0).bytes());
        wire.flush();
        ScramClient scram = new ScramClient(password);
        while (true) {
            WireStream.expectMore(wire.read());
            if (wire.type == 'E') {
                throw new IOException("warm-up login refused: " + wire.errorText());
            }
            if (wire.type == 'Z') {
                return;
            }
            if (wire.type != 'R') {
                continue; // ParameterStatus, BackendKeyData
            }
            switch (wire.intAt(0)) {
                case 0 -> { } // AuthenticationOk
                case 3 -> { // AuthenticationCleartextPassword
                    wire.write('p', new WireStream.Body().string(password).bytes());
                    wire.flush();
                }
                case 5 -> { // AuthenticationMD5Password, with a 4-byte salt
                    byte[] salt = java.util.Arrays.copyOfRange(wire.body, 4, 8);
                    wire.write('p', new WireStream.Body().string(Md5Password.clientResponse(user, password, salt))
                            .bytes());
                    wire.flush();
                }
                case 10 -> { // AuthenticationSASL: SCRAM-SHA-256 offered
                    byte[] first = scram.clientFirstMessage();
                    wire.write('p', new WireStream.Body().string("SCRAM-SHA-256").int32(first.length).raw(first)
                            .bytes());
                    wire.flush();
                }
                case 11 -> { // AuthenticationSASLContinue
                    wire.write('p', scram.clientFinalMessage(rest(wire)));
                    wire.flush();
                }
                case 12 -> scram.verifyServerFinal(rest(wire)); // AuthenticationSASLFinal
                default -> throw new IOException("unexpected authentication request " + wire.intAt(0));
            }
        }
    }

    private static byte[] rest(WireStream wire) {
        return java.util.Arrays.copyOfRange(wire.body, 4, wire.body.length);
    }

    private static void query(WireStream wire, String sql) throws IOException {
        wire.write('Q', new WireStream.Body().string(sql).bytes());
        wire.flush();
        awaitReady(wire);
    }

    /** Parse, Bind, Describe, Execute, Sync of an unnamed statement with one text parameter. */
    private static void unnamed(WireStream wire) throws IOException {
        parse(wire, "", "SELECT $1::int");
        bindExecute(wire, "");
        wire.write('S', new byte[0]);
        wire.flush();
        awaitReady(wire);
    }

    /** A named statement prepared once and executed twice, then closed. */
    private static void named(WireStream wire) throws IOException {
        parse(wire, "warmup_statement", "SELECT $1::int");
        wire.write('S', new byte[0]);
        wire.flush();
        awaitReady(wire);
        for (int i = 0; i < 2; i++) {
            bindExecute(wire, "warmup_statement");
            wire.write('S', new byte[0]);
            wire.flush();
            awaitReady(wire);
        }
        wire.write('C', new WireStream.Body().byte1('S').string("warmup_statement").bytes());
        wire.write('S', new byte[0]);
        wire.flush();
        awaitReady(wire);
    }

    private static void parse(WireStream wire, String name, String sql) {
        wire.write('P', new WireStream.Body().string(name).string(sql).int16(0).bytes());
    }

    private static void bindExecute(WireStream wire, String statement) {
        byte[] value = "1".getBytes(StandardCharsets.US_ASCII);
        wire.write('B', new WireStream.Body().string("").string(statement).int16(0).int16(1).int32(value.length)
                .raw(value).int16(0).bytes());
        wire.write('D', new WireStream.Body().byte1('P').string("").bytes());
        wire.write('E', new WireStream.Body().string("").int32(0).bytes());
    }

    /** Reads up to ReadyForQuery; an ErrorResponse on the way fails the client. */
    private static void awaitReady(WireStream wire) throws IOException {
        String error = null;
        do {
            WireStream.expectMore(wire.read());
            if (wire.type == 'E' && error == null) {
                error = wire.errorText();
            }
        } while (wire.type != 'Z');
        if (error != null) {
            throw new IOException("warm-up statement failed: " + error);
        }
    }
}
