// Recognises the SQL texts pgmux answers itself under pool.listen: fan-out.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.server.sql.SqlLexer;
import io.pgmux.server.sql.SqlStatement;
import io.pgmux.server.sql.SqlToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Query's or Parse's text as a list of LISTEN and UNLISTEN statements, or says it is something else.
 *
 * <p>Only texts made of nothing but {@code LISTEN name}, {@code UNLISTEN name} and {@code UNLISTEN *} are answered
 * by pgmux; a text that mixes them with other statements is relayed ({@link #relayable}). Texts are read with the
 * client's settings ({@link ClientText}): names over 63 bytes are truncated as PostgreSQL truncates them, and only
 * what the settings pgmux knows cannot decide (see {@link ClientText}) is left to PostgreSQL as written, which pins.
 */
final class ListenStatements {
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
     * A Query or Parse text with LISTEN and UNLISTEN statements among others, to go to PostgreSQL with each LISTEN
     * made an UNLISTEN of the same channel (see {@link RelayedListens}).
     *
     * @param listenAt the byte offsets, in the text as the client encoded it, of each LISTEN keyword, where "UN" goes
     * @param actions  the text's LISTEN and UNLISTEN statements, in order
     */
    record Relayed(int[] listenAt, List<ListenAction> actions) {
    }

    /**
     * Where {@code sql}'s LISTENs become UNLISTENs, or null when it has no LISTEN or UNLISTEN, or one pgmux cannot
     * read exactly (then PostgreSQL runs it as written and the client is pinned, as without fan-out).
     *
     * @param sql  the text, decoded by {@link ClientText#decode} (so it encodes back to the client's bytes)
     * @param text how PostgreSQL reads it
     */
    static Relayed relayable(String sql, ClientText text) {
        SqlLexer.Reading reading = text.reading(sql);
        if (reading == null) {
            return null;
        }
        SqlLexer lexer = SqlLexer.of(sql, reading);
        List<ListenAction> actions = new ArrayList<>(2);
        List<Integer> listenAt = new ArrayList<>(2);
        for (SqlStatement st = lexer.next(); st != null; st = lexer.next()) {
            if (!st.isWord(0, "listen") && !st.isWord(0, "unlisten")) {
                continue;
            }
            ListenAction action = action(st, text);
            if (action == null) {
                return null;
            }
            actions.add(action);
            if (action.listens()) {
                listenAt.add(text.clientBytes(sql.substring(0, st.token(0).start())));
            }
        }
        if (actions.isEmpty() || lexer.nested()) {
            return null;
        }
        return new Relayed(listenAt.stream().mapToInt(Integer::intValue).toArray(), actions);
    }

    /**
     * The statements of {@code sql} in order, or null unless every one is a LISTEN or UNLISTEN pgmux can answer.
     *
     * @param text how PostgreSQL reads the text: its backslashes, and the encoding channel names are truncated in
     */
    static List<ListenAction> parse(String sql, ClientText text) {
        SqlLexer.Reading reading = text.reading(sql);
        if (reading == null) {
            return null;
        }
        SqlLexer lexer = SqlLexer.of(sql, reading);
        List<ListenAction> actions = new ArrayList<>(1);
        for (SqlStatement st = lexer.next(); st != null; st = lexer.next()) {
            ListenAction action = action(st, text);
            if (action == null) {
                return null;
            }
            actions.add(action);
        }
        return actions.isEmpty() || lexer.nested() ? null : actions;
    }

    private static ListenAction action(SqlStatement st, ClientText text) {
        if (st.size() != 2) {
            return null;
        }
        if (st.isWord(0, "unlisten") && st.isSymbol(1, '*')) {
            return new ListenAction(ListenAction.Kind.UNLISTEN_ALL, null);
        }
        SqlToken name = st.token(1);
        if (name == null || !name.isIdentifier() || name.text().isEmpty()) {
            return null;
        }
        String channel = text.channel(name.text(), name.kind() == SqlToken.Kind.QUOTED);
        if (channel == null) {
            return null;
        }
        String truncated = channel.equals(name.text()) ? null : name.text();
        if (st.isWord(0, "listen")) {
            return new ListenAction(ListenAction.Kind.LISTEN, channel, truncated);
        }
        return st.isWord(0, "unlisten") ? new ListenAction(ListenAction.Kind.UNLISTEN, channel, truncated) : null;
    }

    /**
     * A copy of {@code frame} (a Query or Parse) with "UN" put before each LISTEN keyword (at {@code listenAt}, byte
     * offsets from {@code textStart}); {@code frame} is released. Made on the bytes, so the client's encoding is kept.
     */
    static ByteBuf unlistening(ByteBufAllocator alloc, ByteBuf frame, int textStart, int[] listenAt) {
        int length = frame.readableBytes();
        ByteBuf out = alloc.buffer(length + 2 * listenAt.length);
        out.writeByte(frame.getByte(frame.readerIndex())).writeInt(length - 1 + 2 * listenAt.length);
        int copied = frame.readerIndex() + 5;
        for (int at : listenAt) {
            out.writeBytes(frame, copied, textStart + at - copied).writeByte('U').writeByte('N');
            copied = textStart + at;
        }
        out.writeBytes(frame, copied, frame.writerIndex() - copied);
        frame.release();
        return out;
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
