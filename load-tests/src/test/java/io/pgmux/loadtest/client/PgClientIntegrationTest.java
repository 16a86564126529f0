// Exercises the non-blocking client against a real PostgreSQL and, for thousands of connections, through pgmux.
package io.pgmux.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.ResourceLeakDetector;
import io.pgmux.loadtest.TestPgmux;
import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgClientIntegrationTest {
    private static final PostgresFixture PG = PostgresFixture.shared();
    private static PgClientFactory factory;

    @BeforeAll
    static void startFactory() {
        factory = new PgClientFactory(2);
    }

    @AfterAll
    static void stopFactory() {
        factory.close();
    }

    private static PgClient connectScram() {
        return factory.connect(PG.host(), PG.port(), PG.user(), PG.password(), PG.database(),
                Map.of("application_name", "pgclient-test")).join();
    }

    @Test
    void scramLoginThenQueryReturnsRowsTagsAndStatus() {
        PgClient client = connectScram();
        assertThat(client.backendKey()).isNotNull();
        assertThat(client.parameters()).containsKey("server_version").containsEntry("application_name",
                "pgclient-test");
        QueryResult result = client.query("SELECT 1 AS a, NULL::text AS b, 'x' || 'y'").join();
        assertThat(result.rows()).containsExactly(Arrays.asList("1", null, "xy"));
        assertThat(result.commandTags()).containsExactly("SELECT 1");
        assertThat(result.transactionStatus()).isEqualTo('I');
        client.close().join();
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void md5LoginWorks() {
        PgClient client = factory.connect(PG.host(), PG.port(), PG.md5User(), PG.md5Password(), PG.database(),
                Map.of()).join();
        assertThat(client.query("SELECT current_user").join().rows()).containsExactly(List.of(PG.md5User()));
        client.close().join();
    }

    @Test
    void wrongPasswordFailsWithTheServersSqlState() {
        CompletableFuture<PgClient> attempt = factory.connect(PG.host(), PG.port(), PG.user(), "wrong",
                PG.database(), Map.of());
        assertThatThrownBy(attempt::join).hasCauseInstanceOf(PgClientException.class)
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"));
    }

    @Test
    void unreachableServerFailsWith08001() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        CompletableFuture<PgClient> attempt = factory.connect("127.0.0.1", closedPort, "u", "p", "d", Map.of());
        assertThatThrownBy(attempt::join).satisfies(e -> assertThat(sqlState(e)).isEqualTo("08001"));
    }

    @Test
    void anErrorLeavesTheConnectionUsable() {
        PgClient client = connectScram();
        assertThatThrownBy(() -> client.query("SELECT 1/0").join())
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("22012"));
        assertThat(client.query("SELECT 2").join().rows()).containsExactly(List.of("2"));
        // An error inside a transaction leaves it failed until ROLLBACK, and the status says so.
        assertThat(client.query("BEGIN").join().transactionStatus()).isEqualTo('T');
        assertThatThrownBy(() -> client.query("SELECT no_such_column").join())
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42703"));
        assertThat(client.query("ROLLBACK").join().transactionStatus()).isEqualTo('I');
        assertThat(client.isOpen()).isTrue();
        client.close().join();
    }

    @Test
    void namedStatementIsParsedOnceAndExecutedTwice() {
        PgClient client = connectScram();
        String sql = "SELECT $1::int + 1";
        assertThat(client.execute("plus_one", sql, List.of("41")).join().rows()).containsExactly(List.of("42"));
        assertThat(client.execute("plus_one", sql, List.of("1")).join().rows()).containsExactly(List.of("2"));
        // A second Parse of the same name would have failed with 42P05, so one entry means it was parsed once.
        assertThat(client.query("SELECT count(*) FROM pg_prepared_statements WHERE name = 'plus_one'")
                .join().rows()).containsExactly(List.of("1"));
        QueryResult unnamed = client.execute("", "SELECT $1::text, $2::text", Arrays.asList("a", null)).join();
        assertThat(unnamed.rows()).containsExactly(Arrays.asList("a", null));
        assertThat(unnamed.commandTags()).containsExactly("SELECT 1");
        client.close().join();
    }

    @Test
    void failedParseIsForgottenSoTheNameCanBeParsedAgain() {
        PgClient client = connectScram();
        assertThatThrownBy(() -> client.execute("retry", "SELEC 1", List.of()).join())
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42601"));
        assertThat(client.execute("retry", "SELECT 7", List.of()).join().rows()).containsExactly(List.of("7"));
        client.close().join();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        PgClient client = connectScram();
        List<CompletableFuture<QueryResult>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(i % 2 == 0 ? client.query("SELECT " + i) : client.execute("", "SELECT $1::int",
                    List.of(String.valueOf(i))));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).join().rows()).containsExactly(List.of(String.valueOf(i)));
        }
        client.close().join();
    }

    /**
     * 2,000 connections open at the same time. The shared test PostgreSQL allows only 200 backends, so they go
     * through an in-JVM pgmux (pool of 20), which is the use this client exists for.
     *
     * <p>Paranoid leak tracking of both this client and the in-JVM pgmux makes a cold login storm take tens of
     * seconds on a busy two-core machine, so this test samples leaks at the SIMPLE level (still reported as
     * failures) and allows generous timeouts; the other tests cover the same code paths at PARANOID.
     */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void twoThousandConcurrentConnectionsEachRunAQuery() throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try (PgClientFactory bigFactory = new PgClientFactory(2, Duration.ofSeconds(90));
             TestPgmux pgmux = TestPgmux.start(20)) {
            int clients = 2000;
            List<CompletableFuture<PgClient>> connecting = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                connecting.add(bigFactory.connect("127.0.0.1", pgmux.port(), PG.user(), PG.password(),
                        PG.database(), Map.of()));
            }
            List<PgClient> connected = new ArrayList<>(clients);
            for (CompletableFuture<PgClient> c : connecting) {
                connected.add(c.get(100, TimeUnit.SECONDS));
            }
            assertThat(connected).allMatch(PgClient::isOpen);
            List<CompletableFuture<QueryResult>> answers = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                answers.add(connected.get(i).query("SELECT " + i));
            }
            for (int i = 0; i < clients; i++) {
                assertThat(answers.get(i).get(60, TimeUnit.SECONDS).rows())
                        .containsExactly(List.of(String.valueOf(i)));
            }
            CompletableFuture.allOf(connected.stream().map(PgClient::close).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            assertThat(connected).noneMatch(PgClient::isOpen);
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static String sqlState(Throwable e) {
        Throwable cause = e instanceof CompletionException ? e.getCause() : e;
        assertThat(cause).isInstanceOf(PgClientException.class);
        return ((PgClientException) cause).sqlState();
    }
}
