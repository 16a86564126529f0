// Adds the database and client user described by a backend URL to the raw configuration tree.
package io.pgmux.config;

/**
 * Applies a {@link BackendUrl}: database {@code DB} pointing at {@code HOST:PORT/DB} (or at its {@code hosts}) with
 * backend login {@code USER}/{@code PASSWORD}, plus client user {@code USER} with the same password, so clients log in to pgmux
 * with the credentials they would use against PostgreSQL. Entries of the same name are replaced, others are kept.
 */
final class BackendOverlay {

    private BackendOverlay() {
    }

    static void apply(ConfigNode root, BackendUrl url, String origin) {
        ConfigNode databases = root.childForWrite("databases");
        ConfigNode database = new ConfigNode(databases.pathOf(url.database()));
        if (url.hosts().size() == 1) {
            database.putScalar("host", url.host(), origin);
            database.putScalar("port", Integer.toString(url.port()), origin);
        } else {
            database.putList("hosts", new ConfigList(url.hosts().stream().map(HostPort::toString).toList(), origin,
                    origin));
        }
        database.putScalar("dbname", url.database(), origin);
        database.putScalar("user", url.user(), origin);
        database.putScalar("password", url.password(), origin);
        databases.putNode(url.database(), database);

        ConfigNode users = root.childForWrite("users");
        ConfigNode user = new ConfigNode(users.pathOf(url.user()));
        user.putScalar("password", url.password(), origin);
        users.putNode(url.user(), user);
    }
}
