package io.pgmux.server;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level pre-check that spares the usual statement (a SELECT, INSERT, BEGIN, COMMIT ...) the full
 * {@link SessionStateDetector}, which decodes, lower-cases and splits the text. It answers "plain" only when the
 * detector would find nothing: one statement, whose first word is none of the words that start session state, and
 * no advisory-lock call anywhere. Anything it is unsure of (a comment or a quote first, a second statement) goes
 * to the detector. Reads the bytes in place and allocates nothing.
 */
final class PlainStatementScan {
    /** First words the detector acts on; every other first word changes no session state. */
    private static final byte[][] STATE_WORDS = words("prepare", "deallocate", "listen", "unlisten", "declare",
            "close", "create", "drop", "load", "set", "reset", "discard");
    private static final byte[] ADVISORY = "advisory".getBytes(StandardCharsets.US_ASCII);

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
        return !hasSecondStatement(buf, i, to) && !contains(buf, wordStart, to, ADVISORY);
    }

    private static boolean isStateWord(ByteBuf buf, int start, int length) {
        for (byte[] word : STATE_WORDS) {
            if (word.length == length && equalsIgnoreCase(buf, start, word)) {
                return true;
            }
        }
        return false;
    }

    /** A ';' followed by anything but spaces and more ';'. */
    private static boolean hasSecondStatement(ByteBuf buf, int from, int to) {
        int semicolon = buf.indexOf(from, to, (byte) ';');
        if (semicolon < 0) {
            return false;
        }
        for (int i = semicolon + 1; i < to; i++) {
            byte b = buf.getByte(i);
            if (b != ';' && !isSpace(b)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(ByteBuf buf, int from, int to, byte[] lowerCaseWord) {
        for (int i = from; i + lowerCaseWord.length <= to; i++) {
            if ((buf.getByte(i) | 0x20) == lowerCaseWord[0] && equalsIgnoreCase(buf, i, lowerCaseWord)) {
                return true;
            }
        }
        return false;
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

    private static boolean isLetter(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
    }

    /** What may follow a first word, as the detector splits words: space, '(', ',', '=' or ';'. */
    private static boolean endsWord(byte b) {
        return isSpace(b) || b == '(' || b == ',' || b == '=' || b == ';';
    }

    private static byte[][] words(String... words) {
        byte[][] bytes = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            bytes[i] = words[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
