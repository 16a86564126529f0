// Recognises the SQL texts pgmux answers itself under pool.listen: fan-out.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.pgmux.server.sql.SqlLexer;
import io.pgmux.server.sql.SqlStatement;
import io.pgmux.server.sql.SqlToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a Query's or Parse's text as a list of LISTEN and UNLISTEN statements, or says it is something else.
 *
 * <p>Only texts made of nothing but {@code LISTEN name}, {@code UNLISTEN name} and {@code UNLISTEN *} are answered
 * by pgmux; a text that mixes them with other statements goes to PostgreSQL unchanged (and pins, as LISTEN did
 * before fan-out), because pgmux cannot give the other statements' answers in between. So do names PostgreSQL
 * would truncate (over 63 bytes), which would arrive in notifications under another name, and texts whose reading
 * depends on settings pgmux does not follow (a backslash, see {@link SqlLexer#readings}).
 */
final class ListenStatements {
    /** PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated, with a NOTICE. */
    private static final int MAX_NAME_BYTES = 63;
    private static final byte[] LISTEN = "listen".getBytes(StandardCharsets.US_ASCII);

    private ListenStatements() {
    }

    /**
     * A cheap first look at the SQL bytes {@code [from, to)}: true when the first word is LISTEN or UNLISTEN (case
     * ignored), after spaces. Allocates nothing, so that every other statement pays a few byte reads.
     */
    static boolean mayBeListen(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to && isSpace(buf.getByte(i))) {
            i++;
        }
        if (i + 2 <= to && lower(buf.getByte(i)) == 'u' && lower(buf.getByte(i + 1)) == 'n') {
            i += 2;
        }
        if (i + LISTEN.length > to) {
            return false;
        }
        for (int j = 0; j < LISTEN.length; j++) {
            if (lower(buf.getByte(i + j)) != LISTEN[j]) {
                return false;
            }
        }
        int after = i + LISTEN.length;
        return after == to || isSpace(buf.getByte(after)) || buf.getByte(after) == ';';
    }

    /**
     * A cheap look for the word LISTEN anywhere in the SQL bytes {@code [from, to)} (case ignored; in a string or a
     * comment too): the Query that may need {@link #relayable}. Allocates nothing.
     */
    static boolean mayContainListen(ByteBuf buf, int from, int to) {
        for (int i = from; i + LISTEN.length <= to; i++) {
            if (lower(buf.getByte(i)) != 'l') {
                continue;
            }
            int j = 1;
            while (j < LISTEN.length && lower(buf.getByte(i + j)) == LISTEN[j]) {
                j++;
            }
            if (j == LISTEN.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * A Query text with LISTEN and UNLISTEN statements among others, as it goes to PostgreSQL: each LISTEN made an
     * UNLISTEN of the same channel (see {@link RelayedListens}).
     *
     * @param sql     the text to send, UTF-8
     * @param actions the text's LISTEN and UNLISTEN statements, in order
     */
    record Relayed(byte[] sql, List<ListenAction> actions) {
    }

    /**
     * {@code sql} with its LISTENs turned into UNLISTENs, or null when it has no LISTEN or UNLISTEN, or one pgmux
     * cannot read exactly (then PostgreSQL runs it as written and the client is pinned, as without fan-out).
     *
     * @param utf8 the bytes {@code sql} was decoded from: a text that does not encode back to them exactly (another
     *             client encoding) is left alone, since the rewrite is made on the bytes
     */
    static Relayed relayable(String sql, byte[] utf8) {
        if (SqlLexer.readings(sql).size() != 1) {
            return null;
        }
        SqlLexer lexer = SqlLexer.of(sql, SqlLexer.Reading.STANDARD);
        List<ListenAction> actions = new ArrayList<>(2);
        List<Integer> listenAt = new ArrayList<>(2);
        for (SqlStatement st = lexer.next(); st != null; st = lexer.next()) {
            if (!st.isWord(0, "listen") && !st.isWord(0, "unlisten")) {
                continue;
            }
            ListenAction action = action(st);
            if (action == null) {
                return null;
            }
            actions.add(action);
            if (action.listens()) {
                listenAt.add(st.token(0).start());
            }
        }
        if (actions.isEmpty() || lexer.nested()
                || !Arrays.equals(sql.getBytes(StandardCharsets.UTF_8), utf8)) {
            return null;
        }
        byte[] out = new byte[utf8.length + 2 * listenAt.size()];
        int copied = 0;
        int written = 0;
        for (int at : listenAt) {
            int byteAt = sql.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
            System.arraycopy(utf8, copied, out, written, byteAt - copied);
            written += byteAt - copied;
            out[written++] = 'U';
            out[written++] = 'N';
            copied = byteAt;
        }
        System.arraycopy(utf8, copied, out, written, utf8.length - copied);
        return new Relayed(out, actions);
    }

    /** The statements of {@code sql} in order, or null unless every one is a LISTEN or UNLISTEN pgmux can answer. */
    static List<ListenAction> parse(String sql) {
        if (SqlLexer.readings(sql).size() != 1) {
            return null;
        }
        SqlLexer lexer = SqlLexer.of(sql, SqlLexer.Reading.STANDARD);
        List<ListenAction> actions = new ArrayList<>(1);
        for (SqlStatement st = lexer.next(); st != null; st = lexer.next()) {
            ListenAction action = action(st);
            if (action == null) {
                return null;
            }
            actions.add(action);
        }
        return actions.isEmpty() || lexer.nested() ? null : actions;
    }

    private static ListenAction action(SqlStatement st) {
        if (st.size() != 2) {
            return null;
        }
        if (st.isWord(0, "unlisten") && st.isSymbol(1, '*')) {
            return new ListenAction(ListenAction.Kind.UNLISTEN_ALL, null);
        }
        SqlToken name = st.token(1);
        if (name == null || !name.isIdentifier() || name.text().isEmpty()
                || name.text().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return null;
        }
        if (st.isWord(0, "listen")) {
            return new ListenAction(ListenAction.Kind.LISTEN, name.text());
        }
        return st.isWord(0, "unlisten") ? new ListenAction(ListenAction.Kind.UNLISTEN, name.text()) : null;
    }

    /** The channel as an identifier PostgreSQL reads back exactly: double-quoted, inner quotes doubled. */
    static String quoted(String channel) {
        return '"' + channel.replace("\"", "\"\"") + '"';
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
    }
}
