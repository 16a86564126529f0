package io.pgmux.pool;

import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.UserConfig;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Creates the pool of each (database, user) pair on first use and keeps it for the life of the server. */
public final class PoolRegistry {
    private final PgmuxConfig config;
    private final ServerConnector connector;
    private final Map<PoolKey, Pool> pools = new ConcurrentHashMap<>();

    public PoolRegistry(PgmuxConfig config, ServerConnector connector) {
        this.config = config;
        this.connector = connector;
    }

    /**
     * The pool for a client of {@code database} logged in as {@code user}.
     *
     * @throws PgException 3D000 if the database is not configured
     */
    public Pool pool(String database, String user) {
        PoolKey key = new PoolKey(database, user);
        Pool pool = pools.get(key);
        return pool != null ? pool : pools.computeIfAbsent(key, this::create);
    }

    public Collection<Pool> pools() {
        return pools.values();
    }

    public void closeAll() {
        pools.values().forEach(Pool::close);
    }

    private Pool create(PoolKey key) {
        DatabaseConfig db = config.database(key.database());
        if (db == null) {
            throw new PgException(Severity.FATAL, SqlState.INVALID_CATALOG_NAME,
                    "database \"" + key.database() + "\" does not exist");
        }
        return new Pool(key, backendTarget(db, key.user()), new PoolLimits(config.poolSize(key.database(), key.user()),
                config.timeouts().queryWaitTimeout(), config.pool().serverResetQuery()), connector);
    }

    /** The database's own login overrides the client's; otherwise pgmux logs in as the client with its password. */
    private BackendTarget backendTarget(DatabaseConfig db, String clientUser) {
        String user = db.user() != null ? db.user() : clientUser;
        String password = db.password();
        if (password == null) {
            UserConfig u = config.user(user);
            password = u == null ? null : u.password();
        }
        if (password != null && password.startsWith("SCRAM-SHA-256$")) {
            throw new PgException(Severity.FATAL, SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "cannot log in to the server as \"" + user + "\": only a SCRAM secret is configured; "
                            + "give databases." + db.name() + ".password");
        }
        return new BackendTarget(db.host(), db.port(), db.dbname(), user, password, Map.of());
    }
}
