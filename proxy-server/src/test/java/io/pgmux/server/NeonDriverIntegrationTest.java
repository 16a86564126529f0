package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unmodified {@code @neondatabase/serverless} driver (npm, run by node) against pgmux in transaction pooling on
 * a pool of two: its Pool and Client over websocket_listen, and neon() over http_listen. The scripts assert
 * results, parameters, NULLs, errors with their SQLSTATE and transactions; see src/test/node/neon.
 */
@DetectLeaks
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NeonDriverIntegrationTest {
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        NeonDriverFixture.install();
        proxy = TestProxy.start("transaction", 2, "md5", "", "", """
                websocket_listen: 127.0.0.1:0
                http_listen: 127.0.0.1:0
                auth_cleartext_without_tls: true
                """).warmedUp();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void poolAndClientOverWebSocket() throws Exception {
        NeonDriverFixture.Result run = NeonDriverFixture.node("websocket-driver.mjs", Map.of(
                "PGMUX_WEBSOCKET", "127.0.0.1:" + proxy.server.websocketPort(),
                "DATABASE_URL", databaseUrl(proxy.port())));
        assertThat(run.exitCode()).as("node websocket-driver.mjs:\n%s", run.output()).isZero();
        assertThat(run.output()).contains("websocket driver: ok");
    }

    @Test
    void neonFunctionOverHttp() throws Exception {
        NeonDriverFixture.Result run = NeonDriverFixture.node("http-driver.mjs", Map.of(
                "PGMUX_HTTP", "127.0.0.1:" + proxy.server.httpPort(),
                "DATABASE_URL", databaseUrl(proxy.port())));
        assertThat(run.exitCode()).as("node http-driver.mjs:\n%s", run.output()).isZero();
        assertThat(run.output()).contains("http driver: ok");
    }

    /** A URL naming pgmux's PostgreSQL port; the WebSocket driver only passes host and port to wsProxy. */
    private static String databaseUrl(int port) {
        return "postgresql://" + encode(proxy.pg.user()) + ":" + encode(proxy.pg.password()) + "@127.0.0.1:" + port
                + "/" + encode(proxy.pg.database());
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }
}
