// One request to the HTTP query endpoint: a statement with parameters, or a batch run as one transaction.
package io.pgmux.server.transport.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.pgmux.protocol.SqlState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a POST to the endpoint asks for, read from the body ({@code {"query": ..., "params": [...]}}, or
 * {@code {"queries": [{"query": ..., "params": [...]}, ...]}} for a batch) and the headers the
 * {@code @neondatabase/serverless} driver sends ({@code Neon-Array-Mode}, {@code Neon-Batch-Isolation-Level},
 * {@code Neon-Batch-Read-Only}, {@code Neon-Batch-Deferrable}).
 *
 * @param statements the statements, in order
 * @param batch      whether they run as one transaction (a {@code queries} body), with one result each
 * @param arrayMode  rows as arrays (true) or as objects keyed by column name
 * @param begin      the statement that opens the batch's transaction
 */
record SqlRequest(List<Statement> statements, boolean batch, boolean arrayMode, String begin) {
    /** The protocol counts Bind parameters in an Int16. */
    static final int MAX_PARAMETERS = 65535;

    /** One statement and its parameters, each a text value or null. */
    record Statement(String sql, List<String> params) {
    }

    /** @throws HttpFailure (400, 08P01) for a body or header the endpoint cannot read */
    static SqlRequest read(String body, HttpHeaders headers) {
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> request)) {
            throw invalid("the body must be a JSON object with \"query\" or \"queries\"");
        }
        boolean arrayMode = flag(headers, "Neon-Array-Mode", false);
        Object queries = request.get("queries");
        if (queries != null) {
            if (!(queries instanceof List<?> list) || list.isEmpty()) {
                throw invalid("\"queries\" must be a non-empty array");
            }
            List<Statement> statements = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> query)) {
                    throw invalid("each of \"queries\" must be an object with \"query\"");
                }
                statements.add(statement(query));
            }
            return new SqlRequest(statements, true, arrayMode, begin(headers));
        }
        return new SqlRequest(List.of(statement(request)), false, arrayMode, null);
    }

    private static Statement statement(Map<?, ?> query) {
        if (!(query.get("query") instanceof String sql)) {
            throw invalid("\"query\" must be a string");
        }
        Object params = query.get("params");
        if (params == null) {
            return new Statement(sql, List.of());
        }
        if (!(params instanceof List<?> values)) {
            throw invalid("\"params\" must be an array");
        }
        if (values.size() > MAX_PARAMETERS) {
            throw invalid("at most " + MAX_PARAMETERS + " parameters per query");
        }
        List<String> texts = new ArrayList<>(values.size());
        for (Object value : values) {
            texts.add(text(value));
        }
        return new Statement(sql, texts);
    }

    /** A parameter as PostgreSQL reads it in text format; drivers send strings, curl users may send numbers. */
    private static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof BigDecimal number) {
            return number.toString();
        }
        if (value instanceof Boolean bool) {
            return bool.toString();
        }
        throw invalid("parameters must be strings, numbers, booleans or null");
    }

    /** BEGIN with the batch's isolation level, read-only and deferrable flags. */
    private static String begin(HttpHeaders headers) {
        StringBuilder begin = new StringBuilder("BEGIN");
        String isolation = headers.get("Neon-Batch-Isolation-Level");
        if (isolation != null) {
            begin.append(" ISOLATION LEVEL ").append(switch (isolation.trim().toLowerCase(Locale.ROOT)) {
                case "readuncommitted", "read uncommitted" -> "READ UNCOMMITTED";
                case "readcommitted", "read committed" -> "READ COMMITTED";
                case "repeatableread", "repeatable read" -> "REPEATABLE READ";
                case "serializable" -> "SERIALIZABLE";
                default -> throw invalid("Neon-Batch-Isolation-Level must be ReadUncommitted, ReadCommitted, "
                        + "RepeatableRead or Serializable");
            });
        }
        if (headers.contains("Neon-Batch-Read-Only")) {
            begin.append(flag(headers, "Neon-Batch-Read-Only", false) ? " READ ONLY" : " READ WRITE");
        }
        if (headers.contains("Neon-Batch-Deferrable")) {
            begin.append(flag(headers, "Neon-Batch-Deferrable", false) ? " DEFERRABLE" : " NOT DEFERRABLE");
        }
        return begin.toString();
    }

    private static boolean flag(HttpHeaders headers, String name, boolean fallback) {
        String value = headers.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name + " must be true or false");
        };
    }

    private static HttpFailure invalid(String problem) {
        return HttpFailure.of(SqlState.PROTOCOL_VIOLATION, "invalid request: " + problem);
    }
}
