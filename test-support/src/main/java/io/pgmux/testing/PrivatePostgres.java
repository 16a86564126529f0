// A PostgreSQL of a test's own, which the test may stop, start again, copy into a streaming standby and promote.
package io.pgmux.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server on 127.0.0.1 that belongs to one test, for what the shared {@link PostgresFixture} must never
 * do: stop and start again on the same data directory and port (a restart), and become the primary of a streaming
 * standby made from a copy of its data directory (stop, copy, {@code standby.signal} and {@code primary_conninfo},
 * start both), which {@link #promote} turns into a primary. It uses the server binaries the embedded fixture uses.
 *
 * <p>TCP logins are trusted (the tests using it are about availability, not authentication); log in as
 * {@link #USER} to database {@link #DATABASE}. Hazard: the data directory is deleted by {@link #close()}.
 */
public final class PrivatePostgres implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres running;

    private PrivatePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Initializes a fresh cluster on a free port and starts it. */
    public static PrivatePostgres start() throws IOException {
        PrivatePostgres postgres = new PrivatePostgres(Files.createTempDirectory("pgmux-private-pg-"),
                FreePorts.find());
        postgres.startAgain();
        return postgres;
    }

    /**
     * A streaming standby of this server from a copy of its data directory, started, with this server started
     * again. Stops this server first (a clean shutdown, so the copy is consistent).
     */
    public PrivatePostgres standbyCopy() throws IOException {
        stop();
        PrivatePostgres standby = new PrivatePostgres(Files.createTempDirectory("pgmux-private-standby-"),
                FreePorts.find());
        copyTree(dataDirectory, standby.dataDirectory);
        Files.deleteIfExists(standby.dataDirectory.resolve("postmaster.pid"));
        Files.deleteIfExists(standby.dataDirectory.resolve("epg-lock"));
        Files.createFile(standby.dataDirectory.resolve("standby.signal"));
        Files.writeString(standby.dataDirectory.resolve("postgresql.auto.conf"),
                "\nprimary_conninfo = 'host=127.0.0.1 port=" + port + " user=" + USER + "'\n",
                StandardOpenOption.APPEND);
        startAgain();
        standby.startAgain();
        return standby;
    }

    /** Starts the server again on the same data directory and port; no-op when it runs. */
    public synchronized void startAgain() throws IOException {
        if (running != null) {
            return;
        }
        running = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(STARTUP_WAIT)
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "off")
                .setServerConfig("wal_level", "replica")
                .setServerConfig("hot_standby", "on")
                .setServerConfig("wal_receiver_status_interval", "1s")
                .setDataDirectoryCustomizer(PrivatePostgres::trustLocalLogins)
                .start();
    }

    /** A fast shutdown, as {@code pg_ctl stop -m fast}: sessions are ended with 57P01; the data stays. */
    public synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            running = null;
        }
    }

    /** {@code SELECT pg_promote()} on this standby: waits until it accepts writes. */
    public void promote() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_promote()");
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A direct JDBC connection to {@link #DATABASE} as {@link #USER}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, USER, "");
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[pgmux test-support] could not delete " + dataDirectory + ": " + e);
        }
    }

    private static void trustLocalLogins(java.io.File directory) {
        try {
            Files.writeString(directory.toPath().resolve("pg_hba.conf"), """
                    local all all trust
                    host all all 127.0.0.1/32 trust
                    host replication all 127.0.0.1/32 trust
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                if (!source.equals(from)) {
                    // With their permissions: PostgreSQL refuses a data directory others may read.
                    Files.copy(source, to.resolve(from.relativize(source).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
