// One logical database clients can connect to, and the PostgreSQL server behind it.
package io.pgmux.config;

import java.util.Objects;

/**
 * An entry of the {@code databases} section. Clients connect to pgmux naming {@link #name()}; pgmux connects to
 * {@link #host()}:{@link #port()} and opens {@link #dbname()} there.
 *
 * <p>Hazard: holds a password; {@link #toString()} masks it, but the accessor returns it in clear.
 *
 * @param name     the key under {@code databases}, the database name clients ask for
 * @param host     backend host, required
 * @param port     backend port, 1..65535 (default 5432)
 * @param dbname   database name on the backend; {@code null} in the constructor means "same as {@code name}"
 * @param user     backend login user overriding the client's user name, or {@code null} to use the client's
 * @param password backend password, or {@code null}
 * @param poolMode pool mode override, or {@code null} to inherit {@code pool.mode}
 * @param poolSize pool size override, or {@code null} to inherit {@code pool.default_pool_size}
 * @param pinning  pinning policy override, or {@code null} to inherit {@code pool.pinning}
 */
public record DatabaseConfig(String name, String host, int port, String dbname, String user, String password,
        PoolMode poolMode, Integer poolSize, PinningPolicy pinning) {

    /** @throws IllegalArgumentException if the port is outside 1..65535 or the pool size is below 1 */
    public DatabaseConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        if (poolSize != null && poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
        }
        dbname = dbname == null ? name : dbname;
    }

    /** Like the record's own, but the password is shown as {@code ***}. */
    @Override
    public String toString() {
        return "DatabaseConfig[name=" + name + ", host=" + host + ", port=" + port + ", dbname=" + dbname
                + ", user=" + user + ", password=" + (password == null ? "null" : "***")
                + ", poolMode=" + poolMode + ", poolSize=" + poolSize + ", pinning=" + pinning + "]";
    }
}
