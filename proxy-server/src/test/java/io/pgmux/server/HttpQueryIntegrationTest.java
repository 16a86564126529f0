package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP query endpoint as curl would use it: one POST per statement or per batch transaction, authenticated with
 * a connection string, answered with JSON rows or PostgreSQL's error fields, on a pool of five backends that no
 * request keeps.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpQueryIntegrationTest {
    private static final String TABLE = "http_query_it";
    private static TestProxy proxy;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", 5, "md5", "", "", """
                http_listen: 127.0.0.1:0
                http_max_response_size: 65536
                http_request_timeout: 3s
                auth_cleartext_without_tls: true
                """).warmedUp();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        post("{\"query\":\"DROP TABLE IF EXISTS " + TABLE + "\"}");
        assertThat(post("{\"query\":\"CREATE TABLE " + TABLE + " (id int PRIMARY KEY, note text)\"}").statusCode())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            post("{\"query\":\"DROP TABLE IF EXISTS " + TABLE + "\"}");
            proxy.close();
        }
    }

    @Test
    void queryWithParametersAndNullAnswersRowsAndFields() throws Exception {
        HttpResponse<String> response = post(
                "{\"query\":\"SELECT $1::int + 1 AS n, $2::text AS t, $3::text AS missing\","
                        + "\"params\":[\"41\",\"h\\u00e9 \\\"q\\\"\",null]}", "Neon-Array-Mode", "true");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).contains("\"command\":\"SELECT\"", "\"rowCount\":1",
                "\"rows\":[[\"42\",\"hé \\\"q\\\"\",null]]", "\"name\":\"n\"", "\"dataTypeID\":23",
                "\"dataTypeID\":25");
    }

    @Test
    void rowsAreObjectsWithoutArrayMode() throws Exception {
        HttpResponse<String> response = post("{\"query\":\"SELECT 1 AS a, 'x' AS b\"}");
        assertThat(response.body()).contains("\"rows\":[{\"a\":\"1\",\"b\":\"x\"}]");
    }

    @Test
    void errorsCarrySqlStateAndPosition() throws Exception {
        HttpResponse<String> division = post("{\"query\":\"SELECT 1/0\"}");
        assertThat(division.statusCode()).isEqualTo(400);
        assertThat(division.body()).contains("\"code\":\"22012\"", "\"message\":\"division by zero\"");
        HttpResponse<String> syntax = post("{\"query\":\"SELEC 1\"}");
        assertThat(syntax.body()).contains("\"code\":\"42601\"", "\"position\":\"1\"");
    }

    @Test
    void batchCommitsTogetherOrNotAtAll() throws Exception {
        HttpResponse<String> committed = post("{\"queries\":["
                + "{\"query\":\"INSERT INTO " + TABLE + " VALUES ($1, $2)\",\"params\":[\"1\",null]},"
                + "{\"query\":\"INSERT INTO " + TABLE + " VALUES ($1, $2) RETURNING id\",\"params\":[\"2\",\"b\"]}]}",
                "Neon-Batch-Isolation-Level", "Serializable");
        assertThat(committed.statusCode()).isEqualTo(200);
        assertThat(committed.body()).startsWith("{\"results\":[{\"command\":\"INSERT\",\"rowCount\":1");
        HttpResponse<String> failed = post("{\"queries\":["
                + "{\"query\":\"INSERT INTO " + TABLE + " VALUES (3, 'c')\"},"
                + "{\"query\":\"INSERT INTO " + TABLE + " VALUES (1, 'again')\"}]}");
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(failed.body()).contains("\"code\":\"23505\"");
        HttpResponse<String> readOnly = post(
                "{\"queries\":[{\"query\":\"INSERT INTO " + TABLE + " VALUES (4, 'd')\"}]}",
                "Neon-Batch-Read-Only", "true");
        assertThat(readOnly.body()).contains("\"code\":\"25006\"");
        assertThat(post("{\"query\":\"SELECT id FROM " + TABLE + " ORDER BY id\"}", "Neon-Array-Mode", "true").body())
                .contains("\"rows\":[[\"1\"],[\"2\"]]");
    }

    @Test
    void wrongPasswordAndUnknownDatabaseAreRefused() throws Exception {
        HttpResponse<String> wrong = send(body("{\"query\":\"SELECT 1\"}")
                .header("Neon-Connection-String", url(proxy.pg.user(), "wrong", proxy.pg.database())).build());
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("\"code\":\"28P01\"");
        HttpResponse<String> noDatabase = send(body("{\"query\":\"SELECT 1\"}")
                .header("Neon-Connection-String", url(proxy.pg.user(), proxy.pg.password(), "nope")).build());
        assertThat(noDatabase.body()).contains("\"code\":\"3D000\"");
    }

    @Test
    void sessionStateDoesNotOutliveItsRequest() throws Exception {
        assertThat(post("{\"query\":\"SET statement_timeout = 12345\"}").statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(post("{\"query\":\"SHOW statement_timeout\"}", "Neon-Array-Mode", "true").body())
                    .contains("\"rows\":[[\"0\"]]");
        }
    }

    @Test
    void limitsAnswerWithTheirOwnErrors() throws Exception {
        assertThat(post("{\"query\":\"SELECT repeat('x', 100000)\"}").body()).contains("\"code\":\"54000\"");
        long started = System.nanoTime();
        assertThat(post("{\"query\":\"SELECT pg_sleep(30)\"}").body()).contains("\"code\":\"57014\"");
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(15));
        String big = "{\"query\":\"SELECT '" + "y".repeat(2 * 1024 * 1024) + "'\"}";
        assertThat(post(big).statusCode()).isEqualTo(413);
        assertThat(send(HttpRequest.newBuilder(endpoint("/sql")).GET().build()).statusCode()).isEqualTo(405);
        assertThat(send(body("{}").uri(endpoint("/other")).build()).statusCode()).isEqualTo(404);
        assertThat(post("{\"query\":\"SELECT 1\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void fiveHundredConcurrentRequestsShareFiveBackends() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            HttpRequest request = body("{\"query\":\"SELECT $1::int * 2 AS v\",\"params\":[\"" + i + "\"]}")
                    .header("Neon-Connection-String", url(proxy.pg.user(), proxy.pg.password(), proxy.pg.database()))
                    .header("Neon-Array-Mode", "true").build();
            responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> response = responses.get(i).get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"rows\":[[\"" + (i * 2) + "\"]]");
        }
        assertThat(proxy.server.pools().pool(proxy.pg.database(), proxy.pg.user()).stats().total())
                .as("backends of the pool the requests borrowed from").isBetween(1, 5);
        try (Connection direct = proxy.pg.connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = current_user"
                     + " AND datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getInt(1)).as("backends PostgreSQL saw for 500 requests").isLessThanOrEqualTo(5);
        }
    }

    @Test
    void passwordsInClearTextNeedTlsUnlessAllowed() throws Exception {
        try (TestProxy strict = TestProxy.start("transaction", 1, "md5", "", "", "http_listen: 127.0.0.1:0")) {
            HttpResponse<String> refused = send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + strict.server.httpPort() + "/sql"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"SELECT 1\"}"))
                    .header("Neon-Connection-String", url(proxy.pg.user(), proxy.pg.password(), proxy.pg.database()))
                    .build());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("\"code\":\"28000\"", "TLS");
        }
    }

    private static HttpResponse<String> post(String json, String... headers) throws Exception {
        HttpRequest.Builder request = body(json)
                .header("Neon-Connection-String", url(proxy.pg.user(), proxy.pg.password(), proxy.pg.database()));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private static HttpRequest.Builder body(String json) {
        return HttpRequest.newBuilder(endpoint("/sql")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + proxy.server.httpPort() + path);
    }

    private static String url(String user, String password, String database) {
        return "postgresql://" + encode(user) + ":" + encode(password) + "@db.example/" + encode(database);
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }
}
