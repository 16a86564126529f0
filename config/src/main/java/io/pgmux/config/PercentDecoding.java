// Decodes %XX escapes in URL parts as UTF-8, without URLDecoder's form-encoding '+' rule.
package io.pgmux.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Percent-decoding for the user, password and database of a backend URL. {@code java.net.URLDecoder} is not used
 * because it turns {@code +} into a space, which would corrupt passwords.
 */
final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * Decodes {@code text}.
     *
     * @param part which URL part this is; named in errors instead of the (possibly secret) text
     * @throws ConfigException for a truncated or non-hex escape, or bytes that are not UTF-8
     */
    static String decode(String text, String where, String part) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (high < 0 || low < 0) {
                throw ConfigException.at(where, "invalid percent-encoding in the " + part);
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ConfigException.at(where, "percent-encoded " + part + " is not valid UTF-8");
        }
    }
}
