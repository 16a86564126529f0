// Reads the comma-separated "x=value" attributes of a SCRAM message, strictly and with size limits.
package io.pgmux.protocol.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the attributes of one SCRAM message. Every problem (bad UTF-8, too long, missing or
 * unexpected attribute, empty or oversized value) becomes a {@link ScramException}.
 */
final class ScramMessage {

    /** Upper bound for a whole message; real ones are a few hundred bytes. */
    static final int MAX_MESSAGE_BYTES = 4096;
    /** Upper bound for one attribute value, e.g. a nonce. */
    static final int MAX_VALUE_LENGTH = 1024;

    private final String text;
    private final String what;
    private int position;

    private ScramMessage(String text, String what) {
        this.text = text;
        this.what = what;
    }

    /** Decodes {@code message} as strict UTF-8; {@code what} names the message in error texts. */
    static ScramMessage of(byte[] message, String what) {
        return new ScramMessage(decode(message, what), what);
    }

    /** Wraps text already decoded (and size-checked) by {@link #decode}. */
    static ScramMessage ofText(String text, String what) {
        return new ScramMessage(text, what);
    }

    static String decode(byte[] message, String what) {
        if (message == null || message.length == 0) {
            throw new ScramException(what + " is empty");
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new ScramException(what + " is longer than " + MAX_MESSAGE_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ScramException(what + " is not valid UTF-8");
        }
    }

    /** The whole decoded message. */
    String text() {
        return text;
    }

    /** Offset of the next unread attribute. */
    int position() {
        return position;
    }

    boolean hasMore() {
        return position < text.length();
    }

    /** The name of the next attribute, without consuming it; 0 if there is none. */
    char peekName() {
        return hasMore() ? text.charAt(position) : 0;
    }

    /** Consumes the next attribute, which must be {@code name}, and returns its non-empty value. */
    String next(char name) {
        return next(name, false);
    }

    /** Like {@link #next(char)} but accepts an empty value, as in PostgreSQL's user name "n=". */
    String nextAllowingEmpty(char name) {
        return next(name, true);
    }

    private String next(char name, boolean allowEmpty) {
        if (!hasMore()) {
            throw new ScramException(what + " ends before attribute '" + name + "'");
        }
        if (text.charAt(position) != name || position + 1 >= text.length() || text.charAt(position + 1) != '=') {
            throw new ScramException(what + " has no attribute '" + name + "' where expected");
        }
        return value(position + 2, allowEmpty);
    }

    /** Consumes any attribute with a single-letter name, for extensions that are skipped. */
    void skip() {
        if (!hasMore() || !Character.isLetter(text.charAt(position))
                || position + 1 >= text.length() || text.charAt(position + 1) != '=') {
            throw new ScramException(what + " has a malformed attribute");
        }
        value(position + 2, false);
    }

    private String value(int start, boolean allowEmpty) {
        int end = text.indexOf(',', start);
        if (end < 0) {
            end = text.length();
        }
        if (end == start && !allowEmpty) {
            throw new ScramException(what + " has an empty attribute value");
        }
        if (end - start > MAX_VALUE_LENGTH) {
            throw new ScramException(what + " has an attribute longer than " + MAX_VALUE_LENGTH + " characters");
        }
        position = end == text.length() ? end : end + 1;
        if (end < text.length() && position == text.length()) {
            throw new ScramException(what + " ends with a comma");
        }
        return text.substring(start, end);
    }

    /** Consumes the rest of the message, which must be well-formed extension attributes. */
    void skipExtensions() {
        while (hasMore()) {
            skip();
        }
    }

    /** Fails unless the whole message has been read. */
    void expectEnd() {
        if (hasMore()) {
            throw new ScramException(what + " has unexpected trailing attributes");
        }
    }

    /** Checks a nonce: printable ASCII except comma (RFC 5802), non-empty and bounded. */
    static void requireValidNonce(String nonce, String what) {
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                throw new ScramException(what + " contains a character not allowed in a nonce");
            }
        }
    }

    /** Parses a positive decimal integer attribute such as the iteration count. */
    static int positiveInt(String value, String what) {
        if (value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ScramException(what + " is not a positive integer");
        }
        long parsed = Long.parseLong(value);
        if (parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw new ScramException(what + " is out of range");
        }
        return (int) parsed;
    }
}
