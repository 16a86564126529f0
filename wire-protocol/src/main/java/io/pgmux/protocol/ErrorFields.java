// The fields of an ErrorResponse ('E') or NoticeResponse ('N') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fields of an ErrorResponse or NoticeResponse keyed by field type byte ('S', 'V', 'C', 'M', 'D', 'H', ...), in wire
 * order, unmodifiable. Accessors return null for absent fields.
 */
public record ErrorFields(Map<Character, String> fields) {
    public ErrorFields {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Reads a whole 'E' or 'N' frame without moving its indexes, retaining or releasing it. */
    public static ErrorFields decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.ERROR_RESPONSE, BackendType.NOTICE_RESPONSE,
                "ErrorResponse");
        Map<Character, String> fields = new LinkedHashMap<>();
        for (byte code = reader.readByte(); code != 0; code = reader.readByte()) {
            fields.put((char) (code & 0xFF), reader.readCString());
        }
        reader.expectEnd();
        return new ErrorFields(fields);
    }

    /** The field with this type byte, or null. */
    public String get(char code) {
        return fields.get(code);
    }

    /** The non-localized severity 'V' if present (PostgreSQL 9.6+), else the possibly localized 'S'. */
    public String severity() {
        String severity = fields.get('V');
        return severity != null ? severity : fields.get('S');
    }

    public String sqlState() {
        return fields.get('C');
    }

    public String message() {
        return fields.get('M');
    }

    public String detail() {
        return fields.get('D');
    }

    public String hint() {
        return fields.get('H');
    }

    /**
     * These fields as an exception to report to a client: unknown severities become ERROR, a missing SQLSTATE becomes
     * {@link SqlState#INTERNAL_ERROR}, a missing message becomes an empty string.
     */
    public PgException toPgException() {
        Severity level = Severity.ERROR;
        for (Severity candidate : Severity.values()) {
            if (candidate.name().equals(severity())) {
                level = candidate;
            }
        }
        String state = sqlState() != null ? sqlState() : SqlState.INTERNAL_ERROR;
        String text = message() != null ? message() : "";
        return new PgException(level, state, text, detail(), hint());
    }
}
