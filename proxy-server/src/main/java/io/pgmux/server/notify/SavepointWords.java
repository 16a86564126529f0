// A cheap first look at a statement text: does it start with SAVEPOINT, RELEASE or ROLLBACK?
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;

/** Reads the first word of SQL bytes without allocating, so that every Parse pays only a few byte reads. */
final class SavepointWords {
    private static final String[] WORDS = {"savepoint", "release", "rollback"};

    private SavepointWords() {
    }

    /**
     * Whether the bytes {@code [from, to)} hold one of the words anywhere (in a string or comment too): a text
     * without them has no statement {@link Subtransactions} needs to see. Allocates nothing.
     */
    static boolean mayContain(ByteBuf buf, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = buf.getByte(i) | 0x20;
            if (b != 's' && b != 'r') {
                continue;
            }
            for (String word : WORDS) {
                if (startsWith(buf, i, to, word)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the first word of bytes {@code [from, to)}, after spaces, is SAVEPOINT, RELEASE or ROLLBACK. */
    static boolean mayBe(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to && isSpace(buf.getByte(i))) {
            i++;
        }
        for (String word : WORDS) {
            if (startsWith(buf, i, to, word)) {
                int after = i + word.length();
                return after == to || !isWordByte(buf.getByte(after));
            }
        }
        return false;
    }

    private static boolean startsWith(ByteBuf buf, int at, int to, String word) {
        if (at + word.length() > to) {
            return false;
        }
        for (int j = 0; j < word.length(); j++) {
            int b = buf.getByte(at + j);
            if ((b >= 'A' && b <= 'Z' ? b | 0x20 : b) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordByte(byte b) {
        return b < 0 || b == '_' || b == '$' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
    }
}
