package io.pgmux.server.pinning;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level pre-check that spares the usual statement (a SELECT, INSERT, BEGIN, COMMIT ...) the full
 * {@link SessionStateDetector}, which decodes, tokenises and reads the text. It answers "plain" only when the
 * detector would find nothing: one statement, whose first word is none of the words that start session state
 * (CREATE, SET, DO, CALL, EXPLAIN ...), and none of the words the detector looks for past the first word
 * anywhere in it (set_config, advisory locks, temp and pg_temp, pg_settings, SELECT ... INTO), whatever quotes or
 * comments surround them. Anything it is unsure of (a comment or a quote first, a second statement, a dollar
 * quote, a U&amp; name that may spell any word) goes to the detector. Reads the bytes in place and allocates
 * nothing.
 */
final class PlainStatementScan {
    /** First words the detector acts on; every other first word changes no session state by itself. */
    private static final byte[][] STATE_WORDS = words("prepare", "deallocate", "listen", "unlisten", "declare",
            "close", "create", "drop", "load", "set", "reset", "discard", "do", "call", "explain");
    private static final byte[] ADVISORY = bytes("advisory");
    private static final byte[] SET_CONFIG = bytes("set_config");
    private static final byte[] SETTINGS = bytes("settings");
    private static final byte[] TEMP = bytes("temp");
    private static final byte[] INTO = bytes("into");
    private static final byte[] INSERT = bytes("insert");
    private static final byte[] MERGE = bytes("merge");

    private PlainStatementScan() {
    }

    /** True when the SQL in bytes {@code [from, to)} of {@code buf} certainly creates or undoes no session state. */
    static boolean isPlain(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to && isSpace(buf.getByte(i))) {
            i++;
        }
        int wordStart = i;
        while (i < to && isLetter(buf.getByte(i))) {
            i++;
        }
        int wordLength = i - wordStart;
        if (wordLength == 0 || i < to && !endsWord(buf.getByte(i))) {
            return false; // a comment, a quote, a parenthesis or an odd name first: let the detector decide
        }
        if (isStateWord(buf, wordStart, wordLength)) {
            return false;
        }
        boolean intoCreates = !isWord(buf, wordStart, wordLength, INSERT) && !isWord(buf, wordStart, wordLength, MERGE);
        return !mayHideState(buf, wordStart, to, intoCreates);
    }

    /**
     * One pass over the text for what the detector finds past the first word, and for what may make the text
     * mean more than it shows: a second statement, a dollar quote, a U&amp; name.
     *
     * @param intoCreates INTO may create a table (SELECT ... INTO), as it does in any statement but INSERT and MERGE
     */
    private static boolean mayHideState(ByteBuf buf, int from, int to, boolean intoCreates) {
        for (int i = from; i < to; i++) {
            byte b = buf.getByte(i);
            boolean found = switch (b >= 'A' && b <= 'Z' ? b | 0x20 : b) {
                case 'a' -> matches(buf, i, to, ADVISORY);
                case 's' -> matches(buf, i, to, SET_CONFIG) || matches(buf, i, to, SETTINGS);
                case 't' -> matches(buf, i, to, TEMP);
                case 'i' -> intoCreates && matches(buf, i, to, INTO);
                case 'u' -> i + 1 < to && buf.getByte(i + 1) == '&';
                case '$' -> i + 1 < to && startsDollarTag(buf.getByte(i + 1)); // not $1, a parameter
                case ';' -> hasSecondStatement(buf, i + 1, to);
                default -> false;
            };
            if (found) {
                return true;
            }
        }
        return false;
    }

    private static boolean isStateWord(ByteBuf buf, int start, int length) {
        for (byte[] word : STATE_WORDS) {
            if (isWord(buf, start, length, word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWord(ByteBuf buf, int start, int length, byte[] lowerCaseWord) {
        return lowerCaseWord.length == length && equalsIgnoreCase(buf, start, lowerCaseWord);
    }

    /** Anything but spaces and more ';' after a ';'. */
    private static boolean hasSecondStatement(ByteBuf buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf.getByte(i);
            if (b != ';' && !isSpace(b)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(ByteBuf buf, int at, int to, byte[] lowerCaseWord) {
        return at + lowerCaseWord.length <= to && equalsIgnoreCase(buf, at, lowerCaseWord);
    }

    private static boolean equalsIgnoreCase(ByteBuf buf, int start, byte[] lowerCaseWord) {
        for (int j = 0; j < lowerCaseWord.length; j++) {
            byte b = buf.getByte(start + j);
            if (b != lowerCaseWord[j] && (b < 'A' || b > 'Z' || (b | 0x20) != lowerCaseWord[j])) {
                return false;
            }
        }
        return true;
    }

    /** What may follow the '$' that opens a dollar quote: '$' or the first character of a tag. */
    private static boolean startsDollarTag(byte b) {
        return b == '$' || isLetter(b) || b < 0;
    }

    private static boolean isLetter(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
    }

    /** What may follow a first word that is a word of its own: space, '(', ',', '=' or ';'. */
    private static boolean endsWord(byte b) {
        return isSpace(b) || b == '(' || b == ',' || b == '=' || b == ';';
    }

    private static byte[] bytes(String word) {
        return word.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] words(String... words) {
        byte[][] bytes = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            bytes[i] = bytes(words[i]);
        }
        return bytes;
    }
}
