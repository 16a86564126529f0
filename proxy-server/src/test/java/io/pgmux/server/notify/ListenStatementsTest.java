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
    private static final ClientText STRINGS_OFF = ClientText.of("UTF8", "UTF8", "off");
    private static final ClientText UNKNOWN_STRINGS = ClientText.of("UTF8", "UTF8", null);

    private static java.util.List<ListenAction> parse(String sql) {
        return ListenStatements.parse(sql, ClientText.UTF8);
    }

    @Test
    void readsListenUnlistenAndUnlistenAll() {
        assertThat(parse("LISTEN Orders")).containsExactly(
                new ListenAction(ListenAction.Kind.LISTEN, "orders"));
        assertThat(parse("  unlisten \"Mixed Case\" ;")).containsExactly(
                new ListenAction(ListenAction.Kind.UNLISTEN, "Mixed Case"));
        assertThat(parse("UNLISTEN *")).containsExactly(
                new ListenAction(ListenAction.Kind.UNLISTEN_ALL, null));
        assertThat(parse("LISTEN a; /* comment */ LISTEN b;; UNLISTEN a")).containsExactly(
                new ListenAction(ListenAction.Kind.LISTEN, "a"), new ListenAction(ListenAction.Kind.LISTEN, "b"),
                new ListenAction(ListenAction.Kind.UNLISTEN, "a"));
    }

    @Test
    void relayTurnsEachListenIntoAnUnlistenOfTheSameChannel() {
        String sql = "SELECT 'listen é'; listen \"Ünï\" ; /* LISTEN x */ UNLISTEN b; LISTEN c";
        ListenStatements.Relayed relayed = ListenStatements.relayable(sql, ClientText.UTF8);
        assertThat(relayed.listenAt()).containsExactly(sql.substring(0, sql.indexOf("listen \"")).getBytes(
                StandardCharsets.UTF_8).length, sql.getBytes(StandardCharsets.UTF_8).length - "LISTEN c".length());
        assertThat(relayed.actions()).containsExactly(new ListenAction(ListenAction.Kind.LISTEN, "Ünï"),
                new ListenAction(ListenAction.Kind.UNLISTEN, "b"), new ListenAction(ListenAction.Kind.LISTEN, "c"));
    }

    @Test
    void relayLeavesAloneWhatItCannotReadExactly() {
        String none = "SELECT 'LISTEN a' /* LISTEN b */";
        assertThat(ListenStatements.relayable(none, ClientText.UTF8)).isNull();
        String backslash = "SELECT 'a\\'; LISTEN a";
        assertThat(ListenStatements.relayable(backslash, UNKNOWN_STRINGS)).isNull();
    }

    @Test
    void backslashesAreReadAsTheClientsStandardConformingStringsSays() {
        // With standard_conforming_strings on, 'a\' ends at its second quote; off, the backslash escapes it.
        String sql = "SELECT 'a\\'; LISTEN a; SELECT '; LISTEN b; SELECT 1";
        assertThat(ListenStatements.relayable(sql, ClientText.UTF8).actions())
                .containsExactly(new ListenAction(ListenAction.Kind.LISTEN, "a"));
        assertThat(ListenStatements.relayable(sql, STRINGS_OFF).actions())
                .containsExactly(new ListenAction(ListenAction.Kind.LISTEN, "b"));
        String escape = "SELECT E'\\' LISTEN c'; LISTEN d";
        assertThat(ListenStatements.relayable(escape, ClientText.UTF8).actions())
                .containsExactly(new ListenAction(ListenAction.Kind.LISTEN, "d"));
        assertThat(ListenStatements.parse("LISTEN \"a\\b\"", STRINGS_OFF)).containsExactly(
                new ListenAction(ListenAction.Kind.LISTEN, "a\\b"));
    }

    @Test
    void truncatesLongNamesInTheServerEncodingAtACharacterBoundary() {
        String name = "x".repeat(62) + "éé";
        ListenAction action = parse("LISTEN \"" + name + "\"").get(0);
        assertThat(action.channel()).isEqualTo("x".repeat(62)); // é is two bytes in UTF-8: one would make 64
        assertThat(action.truncated()).isEqualTo(name);
        ClientText latin1Server = ClientText.of("UTF8", "LATIN1", "on");
        assertThat(ListenStatements.parse("LISTEN \"" + name + "\"", latin1Server).get(0).channel())
                .isEqualTo("x".repeat(62) + "é");
        assertThat(parse("LISTEN " + "X".repeat(70)).get(0))
                .isEqualTo(new ListenAction(ListenAction.Kind.LISTEN, "x".repeat(63), "x".repeat(70)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "LISTEN a; SELECT 1", // mixed with another statement: PostgreSQL runs it
        "SELECT 1; LISTEN a",
        "BEGIN; LISTEN a",
        "LISTEN",
        "LISTEN a b",
        "LISTEN 'a'",
        "NOTIFY a",
        "LISTENING a",
        "",
    })
    void leavesEverythingElseToPostgres(String sql) {
        assertThat(parse(sql)).isNull();
    }

    @Test
    void noticesFollowClientMinMessages() {
        assertThat(ClientText.of("UTF8", "UTF8", "on", null).notices()).isTrue();
        assertThat(ClientText.of("UTF8", "UTF8", "on", "'notice'").notices()).isTrue();
        assertThat(ClientText.of("UTF8", "UTF8", "on", "DEFAULT").notices()).isTrue();
        assertThat(ClientText.of("UTF8", "UTF8", "on", "warning").notices()).isFalse();
    }

    @Test
    void leavesToPostgresWhatDependsOnSettingsItDoesNotKnow() {
        assertThat(ListenStatements.parse("LISTEN \"a\\b\"", UNKNOWN_STRINGS)).isNull();
        ClientText sjis = ClientText.of("SJIS", "UTF8", "on");
        assertThat(ListenStatements.parse("LISTEN \"ソ\"", sjis)).as("a name PostgreSQL's SJIS table maps").isNull();
        assertThat(ListenStatements.parse("LISTEN \"ascii\"", sjis)).hasSize(1);
        assertThat(ListenStatements.parse("LISTEN Éa", ClientText.of("LATIN1", "LATIN1", "on")))
                .as("folded by the server's locale").isNull();
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
