package io.pgmux.server.session;

import io.pgmux.pool.ServerConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Works out the SET and RESET statements that bring a backend in line with a client's parameters, so that no
 * client ever runs with another client's settings. Parameters the client never set go back to the backend's
 * login defaults with RESET.
 */
public final class ParameterSync {
    private ParameterSync() {
    }

    /**
     * @param wanted        the client's parameter values (startup parameters, reported changes)
     * @param trackedSql    the client's track_extra_parameters settings, as SQL text of the value
     * @param server        the backend about to serve it
     * @param loginDefaults what a fresh backend of the pool reports
     * @return one statement per parameter to change; empty when the backend already matches
     */
    static List<String> statements(Map<String, String> wanted, Map<String, String> trackedSql,
                                   ServerConnection server, Map<String, String> loginDefaults) {
        return statements(wanted, trackedSql, server.reportedParameters(), server.unreportedSettings(),
                loginDefaults);
    }

    /** {@link #statements} for a backend that reports {@code reported} and had {@code unreported} SET by pgmux. */
    static List<String> statements(Map<String, String> wanted, Map<String, String> trackedSql,
                                   Map<String, String> reported, Map<String, String> unreported,
                                   Map<String, String> loginDefaults) {
        List<String> statements = new ArrayList<>();
        Map<String, String> wantedSql = unreportedSql(wanted, trackedSql, reported);
        wanted.forEach((name, value) -> {
            if (reported.containsKey(name) && !value.equals(reported.get(name))) {
                statements.add("SET " + quoteIdentifier(name) + " TO " + quoteLiteral(value));
            }
        });
        wantedSql.forEach((name, sql) -> {
            if (!sql.equals(unreported.get(name))) {
                statements.add("SET " + quoteIdentifier(name) + " TO " + sql);
            }
        });
        unreported.keySet().forEach(name -> {
            if (!wantedSql.containsKey(name)) {
                statements.add("RESET " + quoteIdentifier(name));
            }
        });
        reported.forEach((name, value) -> {
            String fresh = loginDefaults.get(name);
            if (!wanted.containsKey(name) && fresh != null && !fresh.equals(value)) {
                statements.add("RESET " + quoteIdentifier(name));
            }
        });
        return statements;
    }

    /**
     * True when {@link #statements} would return nothing, worked out without building anything: the usual case at
     * a hand-over (clients of one application share their parameters), taken on every transaction.
     */
    static boolean inLine(Map<String, String> wanted, Map<String, String> trackedSql, ServerConnection server,
                          Map<String, String> loginDefaults) {
        return inLine(wanted, trackedSql, server.reportedParameters(), server.unreportedSettings(), loginDefaults);
    }

    /** {@link #inLine} for a backend that reports {@code reported} and had {@code unreported} SET by pgmux. */
    static boolean inLine(Map<String, String> wanted, Map<String, String> trackedSql, Map<String, String> reported,
                          Map<String, String> unreported, Map<String, String> loginDefaults) {
        int wantedUnreported = 0;
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String current = reported.get(e.getKey());
            if (current != null) {
                if (!current.equals(e.getValue())) {
                    return false;
                }
            } else if (!trackedSql.containsKey(e.getKey())) {
                String applied = unreported.get(e.getKey());
                if (applied == null || !isLiteralOf(applied, e.getValue())) {
                    return false;
                }
                wantedUnreported++;
            }
        }
        for (Map.Entry<String, String> e : trackedSql.entrySet()) {
            if (!e.getValue().equals(unreported.get(e.getKey()))) {
                return false;
            }
        }
        if (unreported.size() != wantedUnreported + trackedSql.size()) {
            return false; // something the client does not want is still SET on the backend
        }
        // By key and lookup rather than over reported.entrySet(): the backend's map is a ConcurrentHashMap, whose
        // entry iteration allocates an entry object per parameter, and this runs at every hand-over.
        for (String name : loginDefaults.keySet()) {
            String current = reported.get(name);
            if (current != null && !current.equals(loginDefaults.get(name)) && !wanted.containsKey(name)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code sql} is {@link #quoteLiteral}({@code value}), without building it. */
    private static boolean isLiteralOf(String sql, String value) {
        if (!sql.startsWith("E'") || !sql.endsWith("'")) {
            return false;
        }
        int j = 2;
        int end = sql.length() - 1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\'') {
                if (j >= end || sql.charAt(j++) != '\\') {
                    return false;
                }
            }
            if (j >= end || sql.charAt(j++) != c) {
                return false;
            }
        }
        return j == end;
    }

    /**
     * The settings PostgreSQL will not report back, as the SQL text of their values: startup parameters such as
     * extra_float_digits (quoted literals) and track_extra_parameters (the client's own text).
     */
    private static Map<String, String> unreportedSql(Map<String, String> wanted, Map<String, String> trackedSql,
                                                     Map<String, String> reported) {
        Map<String, String> sql = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            if (!reported.containsKey(name)) {
                sql.put(name, quoteLiteral(value));
            }
        });
        sql.putAll(trackedSql);
        return sql;
    }

    /**
     * For a holder with no parameters of its own (a request of the HTTP endpoint): the statements that bring
     * {@code server} back to what a fresh backend of its pool reports, recorded as applied; empty when it already is.
     */
    public static List<String> towardsLoginDefaults(ServerConnection server, Map<String, String> loginDefaults) {
        Map<String, String> defaults = loginDefaults == null ? Map.of() : loginDefaults;
        if (inLine(Map.of(), Map.of(), server, defaults)) {
            return List.of();
        }
        List<String> statements = statements(Map.of(), Map.of(), server, defaults);
        recordApplied(Map.of(), Map.of(), server);
        return statements;
    }

    /** Remembers what the statements set, for parameters PostgreSQL will not report back. */
    static void recordApplied(Map<String, String> wanted, Map<String, String> trackedSql, ServerConnection server) {
        Map<String, String> applied = unreportedSql(wanted, trackedSql, server.reportedParameters());
        for (String name : List.copyOf(server.unreportedSettings().keySet())) {
            if (!applied.containsKey(name)) {
                server.recordUnreportedSetting(name, null);
            }
        }
        applied.forEach(server::recordUnreportedSetting);
    }

    /**
     * PostgreSQL reports some values in a canonical spelling (DateStyle "ISO" comes back as "ISO, MDY"); adopting
     * it avoids a needless SET on every later backend switch.
     */
    static void adoptCanonicalValues(Map<String, String> wanted, ServerConnection server) {
        wanted.replaceAll((name, value) -> server.reportedParameters().getOrDefault(name, value));
    }

    /** Parameter names are case-insensitive in PostgreSQL: quoting keeps them intact without changing meaning. */
    static String quoteIdentifier(String name) {
        return '"' + name.toLowerCase(Locale.ROOT).replace("\"", "\"\"") + '"';
    }

    /** An escape-string literal means the same whatever standard_conforming_strings is. */
    static String quoteLiteral(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
