// Where and as whom auth_query runs for a login to one database: its own auth_* keys over the global ones.
package io.pgmux.server.auth;

import io.pgmux.config.AuthQuerySettings;
import io.pgmux.config.DatabaseAuth;
import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.PgmuxConfig;

/**
 * The lookup for a login to one database. PgBouncer reads auth_user, auth_dbname and auth_query from the database's
 * entry first and from [pgbouncer] after; so does pgmux. The login names its database in the startup packet, before
 * authentication starts, so the database is always known here.
 *
 * @param database the entry of {@code databases} whose server answers the query ({@code auth_dbname}, else the
 *                 login's own)
 * @param user     the configured user the query runs as ({@code auth_user})
 * @param query    the query; {@code $1} is the user name
 */
record AuthQueryTarget(String database, String user, String query) {

    /** The lookup for logins to {@code database}; null when neither it nor the global keys name an auth_user. */
    static AuthQueryTarget of(PgmuxConfig config, String database) {
        AuthQuerySettings global = config.auth().authQuery();
        DatabaseConfig db = config.database(database);
        DatabaseAuth own = db == null ? DatabaseAuth.NONE : db.auth();
        String user = own.authUser() != null ? own.authUser() : global.user();
        if (user == null) {
            return null;
        }
        String dbname = own.authDbname() != null ? own.authDbname()
                : global.dbname() != null ? global.dbname() : database;
        return new AuthQueryTarget(dbname, user, own.authQuery() != null ? own.authQuery() : global.query());
    }

    /** Whether any login may need a lookup: a global auth_user, or a database with its own. */
    static boolean anyIn(PgmuxConfig config) {
        return config.auth().authQuery().enabled()
                || config.databases().values().stream().anyMatch(db -> db.auth().authUser() != null);
    }

    /** Secrets and connections are kept apart per server, login and query. */
    String key() {
        return database + '\0' + user + '\0' + query;
    }
}
