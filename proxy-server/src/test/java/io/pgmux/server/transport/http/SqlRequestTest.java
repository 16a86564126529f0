package io.pgmux.server.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.pgmux.testing.DetectLeaks;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

@DetectLeaks
class SqlRequestTest {

    @Test
    void singleQueryWithParametersOfEveryJsonKind() {
        SqlRequest request = SqlRequest.read(
                "{\"query\":\"SELECT $1, $2, $3, $4\",\"params\":[\"t\\u00e9\\n\", 12.50, true, null]}",
                new DefaultHttpHeaders().set("Neon-Array-Mode", "true"));
        assertThat(request.batch()).isFalse();
        assertThat(request.arrayMode()).isTrue();
        assertThat(request.statements()).containsExactly(
                new SqlRequest.Statement("SELECT $1, $2, $3, $4", Arrays.asList("té\n", "12.50", "true", null)));
    }

    @Test
    void batchTakesItsTransactionModeFromTheHeaders() {
        HttpHeaders headers = new DefaultHttpHeaders().set("Neon-Batch-Isolation-Level", "RepeatableRead")
                .set("Neon-Batch-Read-Only", "true").set("Neon-Batch-Deferrable", "false");
        SqlRequest request = SqlRequest.read("{\"queries\":[{\"query\":\"SELECT 1\"},{\"query\":\"SELECT $1\","
                + "\"params\":[\"x\"]}]}", headers);
        assertThat(request.batch()).isTrue();
        assertThat(request.begin()).isEqualTo("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY NOT DEFERRABLE");
        assertThat(request.statements()).extracting(SqlRequest.Statement::params)
                .containsExactly(List.of(), List.of("x"));
    }

    @Test
    void unreadableRequestsAreProtocolViolations() {
        for (String body : List.of("", "[1]", "{\"query\":1}", "{\"queries\":[]}", "{\"query\":\"x\",\"params\":{}}",
                "{\"query\":\"x\",\"params\":[[1]]}", "{\"query\":\"x\"} trailing", "{\"query\":\"unterminated}",
                "[".repeat(1000))) {
            assertThatThrownBy(() -> SqlRequest.read(body, new DefaultHttpHeaders()))
                    .as(body).isInstanceOf(HttpFailure.class)
                    .satisfies(e -> assertThat(((HttpFailure) e).json()).contains("\"code\":\"08P01\""));
        }
        assertThatThrownBy(() -> SqlRequest.read("{\"queries\":[{\"query\":\"x\"}]}",
                new DefaultHttpHeaders().set("Neon-Batch-Isolation-Level", "Chaos")))
                .isInstanceOf(HttpFailure.class);
    }

    @Test
    void connectionUrlGivesUserPasswordAndDatabaseAndHidesThePassword() {
        ConnectionUrl url = ConnectionUrl.parse(
                "postgresql://app%40x:p%3Ass+w@host.example:5432/my%20db?sslmode=require");
        assertThat(url).isEqualTo(new ConnectionUrl("app@x", "p:ss+w", "my db"));
        assertThat(url.toString()).doesNotContain("ss+w");
        for (String bad : Arrays.asList(null, "", "mysql://u:p@h/db", "postgresql://h/db", "postgresql://u:p@h/")) {
            assertThatThrownBy(() -> ConnectionUrl.parse(bad)).as(String.valueOf(bad))
                    .isInstanceOf(HttpFailure.class);
        }
    }
}
