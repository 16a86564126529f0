package io.pgmux.server;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.testing.PostgresFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * pgmux with its admin HTTP endpoint and console enabled, in front of the shared test PostgreSQL (or of another
 * address, e.g. a relay), everything on free 127.0.0.1 ports. The test PostgreSQL user is an admin user and the
 * md5 test user a stats user.
 */
final class OpsProxy implements AutoCloseable {
    final PostgresFixture pg = PostgresFixture.shared();
    final PgmuxServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What RELOAD reads: tests replace it to change the configuration of the running server. */
    final AtomicReference<String> yaml;

    private OpsProxy(String yaml, Function<String, PgmuxConfig> reader) throws InterruptedException {
        this.yaml = new AtomicReference<>(yaml);
        this.server = new PgmuxServer(ConfigLoader.fromYaml(yaml), () -> reader.apply(this.yaml.get())).start();
    }

    /** pgmux started from {@code yaml}; RELOAD reads {@link #yaml} through {@code reader}. */
    static OpsProxy start(String yaml, Function<String, PgmuxConfig> reader) throws InterruptedException {
        return new OpsProxy(yaml, reader);
    }

    static OpsProxy start(String mode, int poolSize, String timeouts) throws InterruptedException {
        PostgresFixture pg = PostgresFixture.shared();
        return start(mode, poolSize, timeouts, pg.host(), pg.port());
    }

    static OpsProxy start(String mode, int poolSize, String timeouts, String host, int port)
            throws InterruptedException {
        PostgresFixture pg = PostgresFixture.shared();
        return new OpsProxy(yaml(mode, poolSize, timeouts, host, port), ConfigLoader::fromYaml);
    }

    static String yaml(String mode, int poolSize, String timeouts, String host, int port) {
        PostgresFixture pg = PostgresFixture.shared();
        return """
                listen: 127.0.0.1:0
                admin_listen: 127.0.0.1:0
                admin_users: [%s]
                stats_users: [%s]
                pool:
                  mode: %s
                  default_pool_size: %d
                timeouts:
                  server_connect_timeout: 10s
                  server_login_retry: 1s
                %s
                databases:
                  %s:
                    host: %s
                    port: %d
                users:
                  %s:
                    password: %s
                  %s:
                    password: %s
                """.formatted(pg.user(), pg.md5User(), mode, poolSize,
                timeouts == null || timeouts.isBlank() ? "" : timeouts.strip().indent(2).stripTrailing(),
                pg.database(), host, port, pg.user(), pg.password(), pg.md5User(), pg.md5Password());
    }

    int port() {
        return server.port();
    }

    /** A pgjdbc connection through pgmux as the (admin) test user; unnamed statements only. */
    Connection connect() throws SQLException {
        return connect(pg.database(), pg.user(), pg.password());
    }

    Connection connect(String database, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("prepareThreshold", "0");
        if (database.equals("pgbouncer") || database.equals("pgmux")) {
            p.setProperty("preferQueryMode", "simple"); // the console speaks the simple query protocol, as PgBouncer's
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + database, p);
    }

    HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics", null);
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return Scrape.parse(response.body());
    }

    @Override
    public void close() {
        server.close();
    }
}
