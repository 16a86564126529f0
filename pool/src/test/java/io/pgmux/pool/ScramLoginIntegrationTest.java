// Proves the SCRAM client and md5 helpers log in to a real PostgreSQL over a hand-written v3 handshake.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.protocol.auth.Md5Password;
import io.pgmux.protocol.auth.ScramClient;
import io.pgmux.protocol.auth.ScramSecret;
import io.pgmux.testing.PostgresFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScramLoginIntegrationTest {

    private static final int AUTH_OK = 0;
    private static final int AUTH_MD5 = 5;
    private static final int AUTH_SASL = 10;
    private static final int AUTH_SASL_CONTINUE = 11;
    private static final int AUTH_SASL_FINAL = 12;
    private static final String INVALID_PASSWORD = "28P01";

    private final PostgresFixture postgres = PostgresFixture.shared();

    @Test
    void scramRoleLogsInWithScramClient() throws IOException {
        try (Wire wire = Wire.open(postgres, postgres.user())) {
            ScramClient scram = startScram(wire);
            wire.sendSaslResponse(scram.clientFinalMessage(wire.expectAuthentication(AUTH_SASL_CONTINUE)));
            scram.verifyServerFinal(wire.expectAuthentication(AUTH_SASL_FINAL));

            wire.expectAuthentication(AUTH_OK);
            assertThat(wire.readUntilReadyForQuery()).isEqualTo('I');
        }
    }

    @Test
    void md5RoleLogsInWithPlainPassword() throws IOException {
        try (Wire wire = Wire.open(postgres, postgres.md5User())) {
            byte[] salt = wire.expectAuthentication(AUTH_MD5);
            wire.sendPassword(Md5Password.clientResponse(postgres.md5User(), postgres.md5Password(), salt));

            wire.expectAuthentication(AUTH_OK);
            assertThat(wire.readUntilReadyForQuery()).isEqualTo('I');
        }
    }

    @Test
    void md5RoleLogsInWithStoredSecretOnly() throws IOException {
        String stored = Md5Password.storedSecret(postgres.md5User(), postgres.md5Password());
        try (Wire wire = Wire.open(postgres, postgres.md5User())) {
            byte[] salt = wire.expectAuthentication(AUTH_MD5);
            wire.sendPassword(Md5Password.clientResponseFromStored(stored, salt));

            wire.expectAuthentication(AUTH_OK);
            assertThat(wire.readUntilReadyForQuery()).isEqualTo('I');
        }
    }

    @Test
    void wrongScramPasswordGetsInvalidPasswordError() throws IOException {
        try (Wire wire = Wire.open(postgres, postgres.user())) {
            ScramClient scram = startScram(wire, "not-the-password");
            wire.sendSaslResponse(scram.clientFinalMessage(wire.expectAuthentication(AUTH_SASL_CONTINUE)));

            assertThat(wire.expectErrorSqlState()).isEqualTo(INVALID_PASSWORD);
        }
    }

    @Test
    void wrongMd5PasswordGetsInvalidPasswordError() throws IOException {
        try (Wire wire = Wire.open(postgres, postgres.md5User())) {
            byte[] salt = wire.expectAuthentication(AUTH_MD5);
            wire.sendPassword(Md5Password.clientResponse(postgres.md5User(), "not-the-password", salt));

            assertThat(wire.expectErrorSqlState()).isEqualTo(INVALID_PASSWORD);
        }
    }

    @Test
    void secretDerivedLocallyEqualsTheOnePostgresStored() throws Exception {
        String stored;
        try (Connection connection = postgres.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            query.setString(1, postgres.user());
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                stored = rows.getString(1);
            }
        }
        ScramSecret fromServer = ScramSecret.parse(stored);

        ScramSecret derived = ScramSecret.fromPassword(postgres.password(), fromServer.salt(), fromServer.iterations());

        assertThat(derived).isEqualTo(fromServer);
        assertThat(derived.toString()).isEqualTo(stored);
    }

    private ScramClient startScram(Wire wire) throws IOException {
        return startScram(wire, postgres.password());
    }

    /** Reads AuthenticationSASL, checks SCRAM-SHA-256 is offered, sends SASLInitialResponse. */
    private static ScramClient startScram(Wire wire, String password) throws IOException {
        byte[] mechanisms = wire.expectAuthentication(AUTH_SASL);
        assertThat(cStrings(mechanisms)).contains("SCRAM-SHA-256");
        ScramClient scram = new ScramClient(password);
        wire.sendSaslInitialResponse("SCRAM-SHA-256", scram.clientFirstMessage());
        return scram;
    }

    private static List<String> cStrings(byte[] data) {
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                if (i > start) {
                    strings.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return strings;
    }

    /** A blocking PostgreSQL v3 connection driven message by message. */
    private static final class Wire implements AutoCloseable {

        private static final int PROTOCOL_3_0 = 196608;
        private static final int TIMEOUT_MILLIS = 10_000;

        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        private Wire(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        /** Connects to the fixture's database and sends the StartupMessage for {@code user}. */
        static Wire open(PostgresFixture postgres, String user) throws IOException {
            Socket socket = new Socket();
            socket.setSoTimeout(TIMEOUT_MILLIS); // a protocol mistake must fail the test, not hang it
            socket.connect(new InetSocketAddress(postgres.host(), postgres.port()), TIMEOUT_MILLIS);
            Wire wire = new Wire(socket);
            wire.sendStartup(user, postgres.database());
            return wire;
        }

        private void sendStartup(String user, String database) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream fields = new DataOutputStream(body);
            fields.writeInt(PROTOCOL_3_0);
            writeCString(fields, "user");
            writeCString(fields, user);
            writeCString(fields, "database");
            writeCString(fields, database);
            fields.writeByte(0);
            out.writeInt(body.size() + 4); // the startup message has no type byte
            body.writeTo(out);
            out.flush();
        }

        void sendSaslInitialResponse(String mechanism, byte[] response) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream fields = new DataOutputStream(body);
            writeCString(fields, mechanism);
            fields.writeInt(response.length);
            fields.write(response);
            sendTyped('p', body.toByteArray());
        }

        void sendSaslResponse(byte[] response) throws IOException {
            sendTyped('p', response);
        }

        void sendPassword(String password) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writeCString(new DataOutputStream(body), password);
            sendTyped('p', body.toByteArray());
        }

        private void sendTyped(char type, byte[] body) throws IOException {
            out.writeByte(type);
            out.writeInt(body.length + 4);
            out.write(body);
            out.flush();
        }

        /** Reads an Authentication message with {@code code} and returns what follows the code. */
        byte[] expectAuthentication(int code) throws IOException {
            Message message = read();
            assertThat(message.type).as("message type, payload " + message.describe()).isEqualTo('R');
            DataInputStream body = message.body();
            assertThat(body.readInt()).as("authentication code").isEqualTo(code);
            return body.readAllBytes();
        }

        /** Reads an ErrorResponse and returns its SQLSTATE (field 'C'). */
        String expectErrorSqlState() throws IOException {
            Message message = read();
            assertThat(message.type).as("message type, payload " + message.describe()).isEqualTo('E');
            byte[] fields = message.payload;
            int i = 0;
            while (i < fields.length && fields[i] != 0) {
                byte field = fields[i];
                int end = i + 1;
                while (fields[end] != 0) {
                    end++;
                }
                if (field == 'C') {
                    return new String(fields, i + 1, end - i - 1, StandardCharsets.UTF_8);
                }
                i = end + 1;
            }
            throw new AssertionError("ErrorResponse without SQLSTATE");
        }

        /** Skips ParameterStatus and BackendKeyData; returns ReadyForQuery's transaction status. */
        char readUntilReadyForQuery() throws IOException {
            while (true) {
                Message message = read();
                assertThat(message.type).as("message before ReadyForQuery").isIn('S', 'K', 'N', 'Z');
                if (message.type == 'Z') {
                    return (char) message.payload[0];
                }
            }
        }

        private Message read() throws IOException {
            char type = (char) in.readUnsignedByte();
            int length = in.readInt();
            assertThat(length).as("message length").isBetween(4, 1 << 20);
            byte[] payload = new byte[length - 4];
            in.readFully(payload);
            return new Message(type, payload);
        }

        private static void writeCString(DataOutputStream out, String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.writeByte(0);
        }

        @Override
        public void close() throws IOException {
            try {
                sendTyped('X', new byte[0]); // Terminate, so the server logs no unexpected EOF
            } catch (IOException ignored) {
                // the server may already have closed the connection after an error
            }
            socket.close();
        }
    }

    /** One backend message: type byte and payload after the length. */
    private record Message(char type, byte[] payload) {

        DataInputStream body() {
            return new DataInputStream(new ByteArrayInputStream(payload));
        }

        String describe() {
            return new String(payload, StandardCharsets.UTF_8).replace('\0', '|') + " " + Arrays.toString(
                    Arrays.copyOf(payload, Math.min(payload.length, 16)));
        }
    }
}
