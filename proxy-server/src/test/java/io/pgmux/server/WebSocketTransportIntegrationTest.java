package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.server.WebSocketTunnel.Cut;
import io.pgmux.testing.DetectLeaks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL over websocket_listen reaches the same session as over TCP: md5 login, queries, transaction pooling on
 * the one pool, whatever way the frames cut the byte stream. A pool of one backend shows that a WebSocket client
 * gives its backend back like any other client.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketTransportIntegrationTest {
    private static final int SSL_REQUEST = 80877103;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 1, "md5", "", "", "websocket_listen: 127.0.0.1:0").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void framesSplitAtEveryByteCarryLoginAndQueries() throws Exception {
        for (Cut cut : Cut.values()) {
            try (RawClient ws = WebSocketTunnel.client(proxy.server.websocketPort(), cut)) {
                ws.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
                ws.sendQuery("SELECT 'over ' || 'websocket', NULL::int");
                assertThat(dataRowText(ws.readUntil('D'))).isEqualTo("over websocket");
                assertThat(ws.readUntil('Z').body()).containsExactly('I');
            }
        }
    }

    @Test
    void messagesMergedInOneFrameAreEachAnswered() throws Exception {
        try (RawClient ws = WebSocketTunnel.client(proxy.server.websocketPort(), Cut.WHOLE)) {
            ws.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(query("SELECT 1"));
            both.write(query("SELECT 2"));
            ws.send(both.toByteArray());
            assertThat(dataRowText(ws.readUntil('D'))).isEqualTo("1");
            ws.readUntil('Z');
            assertThat(dataRowText(ws.readUntil('D'))).isEqualTo("2");
            ws.readUntil('Z');
        }
    }

    @Test
    void idleWebSocketClientHoldsNoBackendInTransactionPooling() throws Exception {
        try (RawClient ws = WebSocketTunnel.client(proxy.server.websocketPort(), Cut.EVERY_BYTE)) {
            ws.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            ws.sendQuery("BEGIN; SELECT 1");
            ws.readUntil('Z');
            // The only backend is in the WebSocket client's transaction; COMMIT gives it back to the pool.
            ws.sendQuery("COMMIT");
            assertThat(ws.readUntil('Z').body()).containsExactly('I');
            try (Connection tcp = proxy.connect(); Statement s = tcp.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 42")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void errorsCarryTheirSqlState() throws Exception {
        try (RawClient ws = WebSocketTunnel.client(proxy.server.websocketPort(), Cut.EVERY_BYTE)) {
            ws.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            ws.sendQuery("SELECT 1/0");
            assertThat(ws.readUntil('E').fields()).containsEntry('C', "22012");
            assertThat(ws.readUntil('Z').body()).containsExactly('I');
        }
    }

    @Test
    void wrongPasswordIsRefusedAsOverTcp() throws Exception {
        try (RawClient ws = WebSocketTunnel.client(proxy.server.websocketPort(), Cut.WHOLE)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> ws.login(proxy.pg.user(), "not the password", proxy.pg.database()))
                    .hasMessageContaining("28P01");
        }
    }

    @Test
    void sslRequestInsideTheWebSocketIsRefused() throws Exception {
        try (RawClient ws = WebSocketTunnel.client(proxy.server.websocketPort(), Cut.EVERY_BYTE)) {
            ws.send(java.nio.ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST).array());
            assertThat(ws.in.read()).isEqualTo('N');
            ws.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            ws.sendQuery("SELECT 3");
            assertThat(dataRowText(ws.readUntil('D'))).isEqualTo("3");
        }
    }

    @Test
    void textFrameClosesWithUnsupportedData() throws Exception {
        try (WebSocketTunnel tunnel = WebSocketTunnel.open(proxy.server.websocketPort(), "/", Cut.WHOLE)) {
            tunnel.sendText("SELECT 1");
            assertThat(tunnel.closeStatus.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
        }
    }

    @Test
    void plainHttpRequestIsNotUpgradedNorRelayed() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + proxy.server.websocketPort() + "/")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    private static byte[] query(String sql) {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(5 + text.length).put((byte) 'Q').putInt(4 + text.length).put(text)
                .array();
    }

    /** The first column of a DataRow as text. */
    private static String dataRowText(RawClient.Message row) {
        java.nio.ByteBuffer body = java.nio.ByteBuffer.wrap(row.body());
        body.getShort();
        int length = body.getInt();
        return new String(row.body(), 6, length, StandardCharsets.UTF_8);
    }
}
