// One rule of auth_hba_file, in PostgreSQL's pg_hba.conf terms.
package io.pgmux.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code local}, {@code host}, {@code hostssl} or {@code hostnossl} line of {@code auth_hba_file}. Rules are tried
 * in file order and the first that matches the connection decides the method, as in PostgreSQL.
 *
 * @param line      line number in the file, for log messages
 * @param type      which connections the rule applies to: the Unix socket's, or TCP ones by encryption
 * @param databases database names, or {@code all}, {@code sameuser} (empty is not allowed)
 * @param users     user names, or {@code all}
 * @param address   client addresses, or {@code null} for {@code all} (always for {@code local})
 * @param method    the authentication method; {@link AuthType#REJECT} refuses the connection
 */
public record HbaRule(int line, ConnectionType type, List<String> databases, List<String> users, CidrBlock address,
        AuthType method) {

    /** The first column: which connections a rule is about. */
    public enum ConnectionType {
        /** {@code local}: clients of the Unix socket ({@code unix_socket_dir}). */
        LOCAL,
        /** {@code host}: TLS or not. */
        HOST,
        /** {@code hostssl}: TLS connections only. */
        HOSTSSL,
        /** {@code hostnossl}: plain-text connections only. */
        HOSTNOSSL
    }

    /** @throws NullPointerException for a null component other than {@code address} */
    public HbaRule {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(method, "method");
        databases = List.copyOf(databases);
        users = List.copyOf(users);
    }

    /** Whether this rule applies to a TCP connection with these properties; never for a {@code local} rule. */
    public boolean matches(boolean tls, String database, String user, InetAddress client) {
        if (type == ConnectionType.LOCAL || type == ConnectionType.HOSTSSL && !tls
                || type == ConnectionType.HOSTNOSSL && tls) {
            return false;
        }
        return namesMatch(database, user) && (address == null || address.contains(client));
    }

    /** Whether this is a {@code local} rule for a Unix socket client of {@code database} as {@code user}. */
    public boolean matchesLocal(String database, String user) {
        return type == ConnectionType.LOCAL && namesMatch(database, user);
    }

    private boolean namesMatch(String database, String user) {
        boolean databaseMatches = databases.contains("all") || databases.contains(database)
                || databases.contains("\"" + database + "\"")
                || databases.contains("sameuser") && database.equals(user);
        // A quoted keyword ("all") is kept in quotes by the parser, so it matches only a user of that name.
        boolean userMatches = users.contains("all") || users.contains(user) || users.contains("\"" + user + "\"");
        return databaseMatches && userMatches;
    }
}
