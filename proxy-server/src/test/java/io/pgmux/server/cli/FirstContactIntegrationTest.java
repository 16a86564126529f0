package io.pgmux.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** What a newcomer meets first: --help, a port already taken, and --demo. */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirstContactIntegrationTest {

    @Test
    void helpListsTheEnvironmentVariables() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PgmuxCommand());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("--pgbouncer-ini", "Environment variables", "PGMUX_BACKEND=URL",
                "PGMUX_LISTEN", "PGMUX_ADMIN_LISTEN", "PGMUX_POOL_MODE", "PGMUX_POOL_SIZE", "PGMUX_MAX_CLIENT_CONN",
                "PGMUX_AUTH_TYPE", "PGMUX_CLIENT_TLS_CERT", "PGMUX_LOG_FORMAT", "PGMUX_LOG_LEVEL", "pgmux convert");
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddress() throws Exception {
        PostgresFixture pg = PostgresFixture.shared();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream previous = System.err;
            int status;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                status = new CommandLine(new PgmuxCommand()).execute("--backend", "postgresql://" + pg.user() + ":"
                        + pg.password() + "@" + pg.host() + ":" + pg.port() + "/" + pg.database(), "--listen", listen);
            } finally {
                System.setErr(previous);
            }
            String text = err.toString(StandardCharsets.UTF_8);
            assertThat(status).isEqualTo(2);
            assertThat(text.strip()).as(text).isEqualTo("pgmux: cannot listen on " + listen
                    + " for clients: address already in use (another pgmux or PgBouncer?)");
        }
    }

    @Test
    void demoTurnsOnMetricsAndTheConsoleAndSaysHowToReachThem() throws Exception {
        PgmuxCommand command = new PgmuxCommand();
        new CommandLine(command).parseArgs("--demo", "--listen", "127.0.0.1:0");
        try (DemoMode.Demo demo = DemoMode.start(command)) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            DemoMode.printWelcome(demo, new PrintStream(printed, true, StandardCharsets.UTF_8));
            String welcome = printed.toString(StandardCharsets.UTF_8);
            int port = demo.server().port();
            String metricsUrl = "http://127.0.0.1:" + demo.server().adminPort() + "/metrics";
            assertThat(welcome).contains("curl " + metricsUrl,
                    "psql \"postgresql://demo:demo@127.0.0.1:" + port + "/pgbouncer\" -c \"SHOW POOLS\"",
                    "psql \"postgresql://demo:demo@127.0.0.1:" + port + "/demo\"");

            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(metricsUrl)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("pgmux_build_info");

            Properties login = new Properties();
            login.setProperty("user", "demo");
            login.setProperty("password", "demo");
            login.setProperty("preferQueryMode", "simple");
            try (Connection console = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                    + "/pgbouncer", login); Statement s = console.createStatement();
                    ResultSet rs = s.executeQuery("SHOW VERSION")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }
}
