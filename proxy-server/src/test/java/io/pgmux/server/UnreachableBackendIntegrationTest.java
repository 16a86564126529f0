package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.pgmux.config.ConfigLoader;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.FreePorts;
import io.pgmux.testing.PostgresFixture;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend pgmux cannot reach: the client learns that, with SQLSTATE 08006, but not where the server is or how the
 * connect failed at the socket level; pgmux's own log keeps both.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnreachableBackendIntegrationTest {
    private static final PostgresFixture pg = PostgresFixture.shared();

    @Test
    void clientErrorNamesNoAddressPortOrSocketError() throws Exception {
        int deadPort = FreePorts.find(); // nothing listens there
        try (LogCapture log = new LogCapture(Level.INFO);
             PgmuxServer server = new PgmuxServer(ConfigLoader.fromYaml(config(deadPort))).start()) {
            Map<Character, String> first = loginError(server);
            assertThat(first).containsEntry('C', "08006").containsEntry('S', "FATAL")
                    .containsEntry('M', "pgmux could not connect to the database server");
            assertRevealsNothing(first, deadPort);

            Map<Character, String> retried = loginError(server); // during server_login_retry: the last error again
            assertThat(retried).containsEntry('C', "08006");
            assertThat(retried.get('M')).contains("pgmux could not connect to the database server");
            assertRevealsNothing(retried, deadPort);

            assertThat(log.messages()).as("the operator still learns where and why")
                    .anySatisfy(m -> assertThat(m).contains("could not open a backend")
                            .contains("127.0.0.1:" + deadPort).contains("Connection refused"));
        }
    }

    private static Map<Character, String> loginError(PgmuxServer server) throws Exception {
        try (RawClient raw = new RawClient(server.port())) {
            raw.sendStartup(pg.user(), pg.database());
            RawClient.Message m;
            while ((m = raw.read()) != null && m.type() != 'E') {
                assertThat(m.type()).as("authentication, then the error").isEqualTo('R');
                raw.sendTyped('p', (md5(raw, m) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(m).as("an ErrorResponse").isNotNull();
            assertThat(raw.closedByServer()).isTrue();
            return m.fields();
        }
    }

    private static String md5(RawClient raw, RawClient.Message request) {
        byte[] salt = java.util.Arrays.copyOfRange(request.body(), 4, 8);
        return io.pgmux.protocol.auth.Md5Password.clientResponse(pg.user(), pg.password(), salt);
    }

    private static void assertRevealsNothing(Map<Character, String> fields, int port) {
        String text = String.join(" ", fields.values());
        assertThat(text).doesNotContain("127.0.0.1", "localhost", String.valueOf(port), "error(", "Exception",
                "refused", "io_uring", "connect(");
    }

    private static String config(int backendPort) {
        return """
                listen: 127.0.0.1:0
                pool:
                  mode: transaction
                  default_pool_size: 2
                timeouts:
                  server_connect_timeout: 5s
                  query_wait_timeout: 5s
                  server_login_retry: 30s
                databases:
                  %s:
                    host: 127.0.0.1
                    port: %d
                users:
                  %s:
                    password: %s
                """.formatted(pg.database(), backendPort, pg.user(), pg.password());
    }
}
