// A database's own auth_user, auth_dbname and auth_query, as PgBouncer's [databases] entries may set them.
package io.pgmux.config;

/**
 * How the users of one database are looked up when pgmux does not know them: each non-null component wins over the
 * global {@code auth_*} key of the same name for logins to this database. The login names its database in the
 * startup packet, before it authenticates, so each database can have its own.
 *
 * @param authUser   a configured user with a plain password that runs the query, or {@code null}
 * @param authDbname the entry of {@code databases} whose server answers the query, or {@code null}
 * @param authQuery  the query ({@code $1} is the user name), or {@code null}
 */
public record DatabaseAuth(String authUser, String authDbname, String authQuery) {

    /** Nothing of its own: the global keys apply. */
    public static final DatabaseAuth NONE = new DatabaseAuth(null, null, null);
}
