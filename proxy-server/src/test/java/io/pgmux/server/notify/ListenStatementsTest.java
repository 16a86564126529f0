package io.pgmux.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DetectLeaks
class ListenStatementsTest {

    @Test
    void readsListenUnlistenAndUnlistenAll() {
        assertThat(ListenStatements.parse("LISTEN Orders")).containsExactly(
                new ListenAction(ListenAction.Kind.LISTEN, "orders"));
        assertThat(ListenStatements.parse("  unlisten \"Mixed Case\" ;")).containsExactly(
                new ListenAction(ListenAction.Kind.UNLISTEN, "Mixed Case"));
        assertThat(ListenStatements.parse("UNLISTEN *")).containsExactly(
                new ListenAction(ListenAction.Kind.UNLISTEN_ALL, null));
        assertThat(ListenStatements.parse("LISTEN a; /* comment */ LISTEN b;; UNLISTEN a")).containsExactly(
                new ListenAction(ListenAction.Kind.LISTEN, "a"), new ListenAction(ListenAction.Kind.LISTEN, "b"),
                new ListenAction(ListenAction.Kind.UNLISTEN, "a"));
    }

    @Test
    void relayTurnsEachListenIntoAnUnlistenOfTheSameChannel() {
        String sql = "SELECT 'listen é'; listen \"Ünï\" ; /* LISTEN x */ UNLISTEN b; LISTEN c";
        ListenStatements.Relayed relayed = ListenStatements.relayable(sql, sql.getBytes(StandardCharsets.UTF_8));
        assertThat(new String(relayed.sql(), StandardCharsets.UTF_8))
                .isEqualTo("SELECT 'listen é'; UNlisten \"Ünï\" ; /* LISTEN x */ UNLISTEN b; UNLISTEN c");
        assertThat(relayed.actions()).containsExactly(new ListenAction(ListenAction.Kind.LISTEN, "Ünï"),
                new ListenAction(ListenAction.Kind.UNLISTEN, "b"), new ListenAction(ListenAction.Kind.LISTEN, "c"));
    }

    @Test
    void relayLeavesAloneWhatItCannotReadExactly() {
        String none = "SELECT 'LISTEN a' /* LISTEN b */";
        assertThat(ListenStatements.relayable(none, none.getBytes(StandardCharsets.UTF_8))).isNull();
        String latin1 = "SELECT 'é'; LISTEN a"; // sent in another client encoding
        assertThat(ListenStatements.relayable(latin1, latin1.getBytes(StandardCharsets.ISO_8859_1))).isNull();
        String backslash = "SELECT 'a\\'; LISTEN a";
        assertThat(ListenStatements.relayable(backslash, backslash.getBytes(StandardCharsets.UTF_8))).isNull();
        String tooLong = "SELECT 1; LISTEN " + "x".repeat(64);
        assertThat(ListenStatements.relayable(tooLong, tooLong.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "LISTEN a; SELECT 1", // mixed with another statement: PostgreSQL runs it
        "SELECT 1; LISTEN a",
        "BEGIN; LISTEN a",
        "LISTEN",
        "LISTEN a b",
        "LISTEN 'a'",
        "LISTEN \"a\\b\"", // reads differently depending on settings pgmux does not follow
        "NOTIFY a",
        "LISTENING a",
        "",
    })
    void leavesEverythingElseToPostgres(String sql) {
        assertThat(ListenStatements.parse(sql)).isNull();
    }

    @Test
    void refusesNamesPostgresWouldTruncate() {
        assertThat(ListenStatements.parse("LISTEN " + "x".repeat(63))).hasSize(1);
        assertThat(ListenStatements.parse("LISTEN " + "x".repeat(64))).isNull();
    }

    @Test
    void quotesChannelsSoPostgresReadsThemBackExactly() {
        assertThat(ListenStatements.quoted("orders")).isEqualTo("\"orders\"");
        assertThat(ListenStatements.quoted("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    @Test
    void firstLookIsCheapAndAllocatesNothingForOtherStatements() {
        assertThat(mayBeListen("  listen x")).isTrue();
        assertThat(mayBeListen("UNLISTEN *")).isTrue();
        assertThat(mayBeListen("Unlisten;")).isTrue();
        assertThat(mayBeListen("SELECT 1")).isFalse();
        assertThat(mayBeListen("listener")).isFalse();
        assertThat(mayBeListen("un")).isFalse();
    }

    private static boolean mayBeListen(String sql) {
        ByteBuf buf = Unpooled.copiedBuffer(sql, StandardCharsets.UTF_8);
        try {
            return ListenStatements.mayBeListen(buf, 0, buf.writerIndex());
        } finally {
            buf.release();
        }
    }
}
