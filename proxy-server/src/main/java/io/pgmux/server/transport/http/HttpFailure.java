// A request the HTTP query endpoint answers with an error, in the shape the driver reads.
package io.pgmux.server.transport.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.pgmux.protocol.ErrorFields;
import java.util.Map;

/**
 * An error answer: an HTTP status and PostgreSQL's error fields. Status 400 carries a JSON object with
 * {@code message}, {@code code} (SQLSTATE), {@code severity}, {@code position}, ... which the driver turns into
 * its error; other statuses are the endpoint's own (404, 405, 413, 500).
 */
final class HttpFailure extends RuntimeException {
    private final HttpResponseStatus status;
    private final ErrorFields fields;

    HttpFailure(HttpResponseStatus status, ErrorFields fields) {
        super(fields.message(), null, false, false);
        this.status = status;
        this.fields = fields;
    }

    /** A request refused before it reached PostgreSQL, with pgmux's SQLSTATE. */
    static HttpFailure of(String sqlState, String message) {
        return new HttpFailure(HttpResponseStatus.BAD_REQUEST,
                new ErrorFields(Map.of('S', "ERROR", 'V', "ERROR", 'C', sqlState, 'M', message)));
    }

    /** An error PostgreSQL (or the pool) reported. */
    static HttpFailure of(ErrorFields fields) {
        return new HttpFailure(HttpResponseStatus.BAD_REQUEST, fields);
    }

    HttpResponseStatus status() {
        return status;
    }

    /** The JSON body: every field PostgreSQL sent, under the names the driver and node-postgres use. */
    String json() {
        StringBuilder out = new StringBuilder("{");
        field(out, "message", fields.message());
        field(out, "severity", fields.get('V') != null ? fields.get('V') : fields.get('S'));
        field(out, "code", fields.sqlState());
        field(out, "detail", fields.get('D'));
        field(out, "hint", fields.get('H'));
        field(out, "position", fields.get('P'));
        field(out, "internalPosition", fields.get('p'));
        field(out, "internalQuery", fields.get('q'));
        field(out, "where", fields.get('W'));
        field(out, "schema", fields.get('s'));
        field(out, "table", fields.get('t'));
        field(out, "column", fields.get('c'));
        field(out, "dataType", fields.get('d'));
        field(out, "constraint", fields.get('n'));
        field(out, "file", fields.get('F'));
        field(out, "line", fields.get('L'));
        field(out, "routine", fields.get('R'));
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value == null) {
            return;
        }
        if (out.length() > 1) {
            out.append(',');
        }
        Json.writeString(out, name);
        out.append(':');
        Json.writeString(out, value);
    }
}
