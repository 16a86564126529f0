// Replaces a server's pg_hba.conf so that TCP clients must authenticate with a password.
package io.pgmux.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes pg_hba.conf through SQL (so it works for a local data directory and inside a container
 * alike) and reloads the configuration.
 *
 * <p>Hazard: after {@link #requirePasswords} the bootstrap superuser without a password can no longer
 * log in over TCP; the connection passed in stays usable because rules are only checked at login.
 */
final class HbaRules {

    private HbaRules() {
    }

    /**
     * Makes every TCP login from {@code addresses} need a password: md5 for the md5 role, which cannot
     * use SCRAM because its secret is an md5 hash, and scram-sha-256 for everyone else. Unix-socket
     * logins stay trusted so an operator can still get in.
     *
     * @param addresses pg_hba address fields, e.g. {@code 127.0.0.1/32} or {@code all}
     */
    static void requirePasswords(Connection superuser, List<String> addresses) throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.add("local all all trust");
        for (String address : addresses) {
            lines.add("host all " + TestRoles.MD5_USER + " " + address + " md5");
        }
        for (String address : addresses) {
            lines.add("host all all " + address + " scram-sha-256");
        }
        String hbaFile = singleValue(superuser, "SHOW hba_file");
        execute(superuser, "COPY (" + valuesOf(lines) + ") TO " + literal(hbaFile));
        String errors = singleValue(superuser,
                "SELECT coalesce(string_agg(error, '; '), '') FROM pg_hba_file_rules WHERE error IS NOT NULL");
        if (!errors.isEmpty()) {
            throw new SQLException("rewritten pg_hba.conf is invalid: " + errors);
        }
        execute(superuser, "SELECT pg_reload_conf()");
    }

    private static String valuesOf(List<String> lines) {
        StringBuilder sql = new StringBuilder("VALUES ");
        for (int i = 0; i < lines.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('(').append(literal(lines.get(i))).append(')');
        }
        return sql.toString();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String singleValue(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
