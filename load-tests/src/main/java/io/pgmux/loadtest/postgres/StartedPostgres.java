// A PostgreSQL server this tool started for a run, and how to log in to it.
package io.pgmux.loadtest.postgres;

/** A running server owned by this tool; {@link #close()} stops it and removes its data. */
public interface StartedPostgres extends AutoCloseable {
    String host();

    int port();

    /** A superuser with a password, which also works over md5 and SCRAM. */
    String user();

    String password();

    String database();

    /** {@code testcontainers} or {@code embedded}. */
    String source();

    @Override
    void close();
}
