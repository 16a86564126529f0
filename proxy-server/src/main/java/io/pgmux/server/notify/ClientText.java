// How PostgreSQL reads one client's SQL text now: its client encoding, the server's, standard_conforming_strings.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.pgmux.server.sql.SqlLexer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The settings PostgreSQL reads a client's LISTEN and UNLISTEN text with, as pgmux last saw them (ParameterStatus, or
 * the login): the client's encoding, the server's, and {@code standard_conforming_strings}. Each part may be unknown
 * (null); text whose reading would depend on an unknown part is not read by pgmux ({@link #decode}, {@link #reading}
 * and {@link #channel} answer null), and PostgreSQL runs it as written, pinned, as the safety rule asks.
 *
 * @param client          the client encoding, or null when pgmux has no exact decoder for it (plain ASCII is read
 *                        all the same: every encoding PostgreSQL accepts from clients is ASCII below 0x80)
 * @param namesExact      whether a non-ASCII channel name maps between the client encoding and Unicode exactly as
 *                        PostgreSQL's conversion does; false for encodings whose tables differ between PostgreSQL and
 *                        Java (see {@link PgEncodings#exactNames})
 * @param server          the server encoding, which identifiers are truncated in; null when unknown
 * @param standardStrings standard_conforming_strings, or null when unknown
 * @param notices         whether client_min_messages lets a NOTICE through (PostgreSQL's default, notice, does)
 */
public record ClientText(Charset client, boolean namesExact, Charset server, Boolean standardStrings,
                         boolean notices) {
    /** PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated, with a NOTICE. */
    static final int MAX_NAME_BYTES = 63;

    /** A UTF-8 client of a UTF-8 server with standard_conforming_strings on: PostgreSQL's defaults. */
    public static final ClientText UTF8 = new ClientText(StandardCharsets.UTF_8, true, StandardCharsets.UTF_8, true,
            true);
    /** The client_min_messages levels that let a NOTICE through. */
    private static final Set<String> NOTICE_LEVELS = Set.of("debug5", "debug4", "debug3", "debug2", "debug1",
            "debug", "log", "notice");

    /**
     * From the parameters' values as PostgreSQL reports them (null when not reported).
     *
     * @param clientEncoding            client_encoding
     * @param serverEncoding            server_encoding
     * @param standardConformingStrings standard_conforming_strings, {@code on} or {@code off}
     */
    public static ClientText of(String clientEncoding, String serverEncoding, String standardConformingStrings) {
        return of(clientEncoding, serverEncoding, standardConformingStrings, null);
    }

    /** As {@link #of(String, String, String)}, with client_min_messages (null: PostgreSQL's default). */
    public static ClientText of(String clientEncoding, String serverEncoding, String standardConformingStrings,
                                String clientMinMessages) {
        Boolean standard = standardConformingStrings == null ? null
                : standardConformingStrings.equalsIgnoreCase("on") ? Boolean.TRUE
                : standardConformingStrings.equalsIgnoreCase("off") ? Boolean.FALSE : null;
        return new ClientText(PgEncodings.charset(clientEncoding), PgEncodings.exactNames(clientEncoding),
                PgEncodings.charset(serverEncoding), standard,
                letsNoticeThrough(clientMinMessages));
    }

    /** Whether a client_min_messages value (as set: quotes and DEFAULT allowed) lets a NOTICE through. */
    private static boolean letsNoticeThrough(String clientMinMessages) {
        if (clientMinMessages == null) {
            return true;
        }
        String level = clientMinMessages.trim().toLowerCase(Locale.ROOT);
        if (level.length() >= 2 && level.startsWith("'") && level.endsWith("'")) {
            level = level.substring(1, level.length() - 1);
        }
        return level.equals("default") || NOTICE_LEVELS.contains(level);
    }

    /**
     * The same settings with those an earlier, still unanswered request of the client may change (its encoding,
     * standard_conforming_strings) made unknown: the server encoding never changes.
     */
    ClientText unsettled() {
        return new ClientText(null, false, server, null, notices);
    }

    /** The text of bytes {@code [from, to)} as PostgreSQL reads it, or null when pgmux cannot decode it exactly. */
    String decode(ByteBuf buf, int from, int to) {
        boolean ascii = true;
        for (int i = from; i < to && ascii; i++) {
            ascii = buf.getByte(i) >= 0;
        }
        if (ascii) {
            return buf.toString(from, to - from, StandardCharsets.US_ASCII);
        }
        if (client == null) {
            return null;
        }
        try {
            // Strict: a byte sequence the decoder does not know could be read differently by PostgreSQL.
            CharBuffer chars = client.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf.nioBuffer(from, to - from));
            String text = chars.toString();
            return encodes(text, buf, from, to) ? text : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Whether {@code text} encodes back to exactly the bytes it was read from, so byte offsets can be computed. */
    private boolean encodes(String text, ByteBuf buf, int from, int to) {
        try {
            ByteBuffer bytes = client.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            return bytes.remaining() == to - from && bytes.equals(buf.nioBuffer(from, to - from));
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The byte length of {@code text} in the client encoding; {@code text} came from {@link #decode}. */
    int clientBytes(String text) {
        return text.getBytes(client == null ? StandardCharsets.US_ASCII : client).length;
    }

    /**
     * How backslashes in {@code sql} are read, or null when that depends on a setting pgmux does not know. Text
     * decoded exactly needs no multibyte guess: a backslash byte inside a character (SJIS, BIG5...) is no backslash
     * in the decoded text. E'' strings escape whatever the setting.
     */
    SqlLexer.Reading reading(String sql) {
        if (sql.indexOf('\\') < 0) {
            return SqlLexer.Reading.STANDARD;
        }
        return standardStrings == null ? null : new SqlLexer.Reading(!standardStrings, false);
    }

    /**
     * The channel PostgreSQL makes of an identifier: truncated to 63 bytes of the server encoding at a character
     * boundary (pg_mbcliplen), or null when pgmux cannot tell exactly what PostgreSQL makes of it.
     *
     * @param name   the identifier as read, unquoted ones folded (A-Z only)
     * @param quoted whether it was a quoted identifier
     */
    String channel(String name, boolean quoted) {
        boolean ascii = name.chars().allMatch(c -> c < 0x80);
        if (!ascii && (!namesExact || server == null)) {
            return null; // the server would hold it under a name pgmux cannot work out
        }
        if (!ascii && !quoted && !StandardCharsets.UTF_8.equals(server)) {
            return null; // single-byte server encodings fold non-ASCII letters by the server's locale
        }
        Charset encoding = server == null ? StandardCharsets.US_ASCII : server;
        if (name.getBytes(encoding).length <= MAX_NAME_BYTES) {
            return name;
        }
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int next = end + Character.charCount(name.codePointAt(end));
            int size = name.substring(end, next).getBytes(encoding).length;
            if (bytes + size > MAX_NAME_BYTES) {
                break;
            }
            bytes += size;
            end = next;
        }
        return name.substring(0, end);
    }

    /** Writes {@code text} as PostgreSQL sends strings to this client: in its encoding. */
    byte[] toClient(String text) {
        return text.getBytes(client == null ? StandardCharsets.UTF_8 : client);
    }
}
