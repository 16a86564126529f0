// The identity of a pool: the logical database and the client user.
package io.pgmux.pool;

/** Identifies one pool: clients of the same logical database and user share its backends. */
public record PoolKey(String database, String user) {
    @Override
    public String toString() {
        return database + "/" + user;
    }
}
